package io.estuary.server.e2e.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One status report posted by the player page. The page writes a flat JSON object with known keys, so a few
 * regular expressions read it (the server module has no JSON library on its test classpath).
 */
public record PlayerReport(long receivedNanos, double currentTime, double bufferedEnd, Double latency,
                           Double targetLatency, boolean playing, int readyState, boolean fatal, String fatalDetails,
                           int errorCount, int fragsBuffered, String hlsVersion, String errors, String raw) {

    public static PlayerReport parse(String json, long receivedNanos) {
        return new PlayerReport(receivedNanos,
                number(json, "currentTime", 0.0), number(json, "bufferedEnd", 0.0),
                number(json, "latency", null), number(json, "targetLatency", null),
                bool(json, "playing"), number(json, "readyState", 0.0).intValue(),
                bool(json, "fatal"), string(json, "fatalDetails"),
                number(json, "errorCount", 0.0).intValue(), number(json, "fragsBuffered", 0.0).intValue(),
                string(json, "hlsVersion"), array(json, "errors"), json);
    }

    private static Double number(String json, String key, Double fallback) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.valueOf(m.group(1)) : fallback;
    }

    private static boolean bool(String json, String key) {
        return json.contains("\"" + key + "\":true");
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static String array(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\[.*?\\])(?:,\"|\\})").matcher(json);
        return m.find() ? m.group(1) : "[]";
    }
}
