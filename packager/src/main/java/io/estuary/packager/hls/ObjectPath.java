package io.estuary.packager.hls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A media object URL relative to the stream: {@code {track}/{epoch}/init.mp4}, {@code {track}/{epoch}/{msn}.m4s} or
 * {@code {track}/{epoch}/{msn}.{part}.m4s}.
 */
record ObjectPath(String track, String epoch, Kind kind, long msn, int part) {

    enum Kind { INIT, SEGMENT, PART }

    private static final Pattern PATH = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9_.\\-]{0,127})/([A-Za-z0-9_.\\-]{1,128})/"
                    + "(?:(init)\\.mp4|(\\d{1,18})\\.m4s|(\\d{1,18})\\.(\\d{1,9})\\.m4s)");

    /** Null when the path names no media object of ours. */
    static ObjectPath parse(String path) {
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
