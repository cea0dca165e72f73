package io.estuary.media.router;

import java.util.regex.Pattern;

/**
 * The name of a live stream, {@code {app}/{name}}. Both parts are restricted to characters that are safe in URL
 * paths, file names and Redis keys, so a key can be used anywhere without escaping.
 */
public record StreamKey(String app, String name) implements Comparable<StreamKey> {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

    public StreamKey {
        if (app == null || !PART.matcher(app).matches()) {
            throw new IllegalArgumentException("invalid app name: " + app);
        }
        if (name == null || !PART.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid stream name: " + name);
        }
    }

    public static boolean isValidPart(String part) {
        return part != null && PART.matcher(part).matches();
    }

    @Override
    public int compareTo(StreamKey o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return app + "/" + name;
    }
}
