package io.estuary.packager.hls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A media object URL relative to the stream: {@code {track}/{epoch}/init.mp4}, {@code {track}/{epoch}/{msn}.m4s} or
 * {@code {track}/{epoch}/{msn}.{part}.m4s}. The one statement of that grammar: the HTTP side asks this class, so
 * no path the packager would refuse gets past the router, and none it serves is refused there.
 */
public record ObjectPath(String track, String epoch, Kind kind, long msn, int part) {

    public enum Kind { INIT, SEGMENT, PART }

    /** Track names are short and lower-case ({@code video}, {@code audio}, later {@code 720p}). */
    private static final String TRACK = "[a-z0-9_]{1,32}";
    private static final Pattern TRACK_NAME = Pattern.compile(TRACK);
    private static final Pattern PATH = Pattern.compile("(" + TRACK + ")/([a-z0-9]{1,16})/"
            + "(?:(init)\\.mp4|(\\d{1,12})\\.m4s|(\\d{1,12})\\.(\\d{1,6})\\.m4s)");

    /** Whether {@code name} can be a track's name (and so {@code {name}.m3u8} a media playlist). */
    public static boolean isTrackName(String name) {
        return TRACK_NAME.matcher(name).matches();
    }

    /** Null when the path names no media object of ours. */
    public static ObjectPath parse(String path) {
        if (path == null) {
            return null;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        Matcher m = PATH.matcher(p);
        if (!m.matches()) {
            return null;
        }
        if (m.group(3) != null) {
            return new ObjectPath(m.group(1), m.group(2), Kind.INIT, -1, -1);
        }
        if (m.group(4) != null) {
            return new ObjectPath(m.group(1), m.group(2), Kind.SEGMENT, Long.parseLong(m.group(4)), -1);
        }
        return new ObjectPath(m.group(1), m.group(2), Kind.PART, Long.parseLong(m.group(5)),
                Integer.parseInt(m.group(6)));
    }

    static String init(String track, String epoch) {
        return track + "/" + epoch + "/init.mp4";
    }

    static String segment(String track, String epoch, long msn) {
        return track + "/" + epoch + "/" + msn + ".m4s";
    }

    static String part(String track, String epoch, long msn, int part) {
        return track + "/" + epoch + "/" + msn + "." + part + ".m4s";
    }
}
