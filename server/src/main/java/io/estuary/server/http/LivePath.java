package io.estuary.server.http;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.hls.ObjectPath;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request path under a stream, {@code /{app}/{name}/{rest}}, sorted into what it asks for. Parsing is strict:
 * anything that is not exactly one of our URL shapes is not a live path, so no path can reach outside a stream.
 */
public record LivePath(StreamKey key, Kind kind, String resource) {

    public enum Kind {
        /** {@code index.m3u8}: the multivariant playlist. */
        MULTIVARIANT,
        /** {@code {track}.m3u8}: a media playlist; resource is the track name. */
        MEDIA_PLAYLIST,
        /** {@code {track}/{epoch}/{file}}: an init segment, segment or part; resource is that relative path. */
        MEDIA_OBJECT,
        /** {@code manifest.mpd}: the DASH MPD. */
        MPD
    }

    private static final Pattern SHAPE = Pattern.compile("/([^/]+)/([^/]+)/(.+)");
    private static final String PLAYLIST = ".m3u8";

    /** Returns null when the path is not one of ours (the caller answers 404). */
    public static LivePath parse(String path) {
        Matcher m = SHAPE.matcher(path);
        if (!m.matches() || !StreamKey.isValidPart(m.group(1)) || !StreamKey.isValidPart(m.group(2))) {
            return null;
        }
        StreamKey key = new StreamKey(m.group(1), m.group(2));
        String rest = m.group(3);
        if (rest.equals("manifest.mpd")) {
            return new LivePath(key, Kind.MPD, "manifest");
        }
        if (rest.equals("index" + PLAYLIST)) {
            return new LivePath(key, Kind.MULTIVARIANT, "index");
        }
        if (rest.endsWith(PLAYLIST)) {
            String track = rest.substring(0, rest.length() - PLAYLIST.length());
            return ObjectPath.isTrackName(track) ? new LivePath(key, Kind.MEDIA_PLAYLIST, track) : null;
        }
        return ObjectPath.parse(rest) != null ? new LivePath(key, Kind.MEDIA_OBJECT, rest) : null;
    }
}
