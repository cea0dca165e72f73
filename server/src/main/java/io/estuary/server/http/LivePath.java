package io.estuary.server.http;

import io.estuary.media.router.StreamKey;
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
        MEDIA_OBJECT
    }

    private static final Pattern SHAPE = Pattern.compile(
            "/([^/]+)/([^/]+)/(?:(index)\\.m3u8|([a-z0-9_]{1,32})\\.m3u8"
                    + "|([a-z0-9_]{1,32}/[a-z0-9]{1,16}/(?:init\\.mp4|\\d{1,12}\\.m4s|\\d{1,12}\\.\\d{1,6}\\.m4s)))");

    /** Returns null when the path is not one of ours (the caller answers 404). */
    public static LivePath parse(String path) {
        Matcher m = SHAPE.matcher(path);
        if (!m.matches() || !StreamKey.isValidPart(m.group(1)) || !StreamKey.isValidPart(m.group(2))) {
            return null;
        }
        StreamKey key = new StreamKey(m.group(1), m.group(2));
        if (m.group(3) != null) {
            return new LivePath(key, Kind.MULTIVARIANT, "index");
        }
        if (m.group(4) != null) {
            return new LivePath(key, Kind.MEDIA_PLAYLIST, m.group(4));
        }
        return new LivePath(key, Kind.MEDIA_OBJECT, m.group(5));
    }
}
