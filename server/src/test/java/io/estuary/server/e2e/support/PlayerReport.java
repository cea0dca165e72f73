package io.estuary.server.e2e.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One status report posted by a player page (player.html, dashjs.html, shaka.html: all post the same flat JSON
 * object with known keys), read with a few regular expressions (the server module has no JSON library on its test
 * classpath).
 *
 * <p>{@code latency} is each library's own live-latency figure, wall clock minus the playhead's time (hls.js
 * {@code latency}, dash.js {@code getCurrentLiveLatency()}, Shaka {@code getStats().liveLatency}); {@code
 * edgeDistance} is the end of the seekable range minus currentTime. {@code targetLatency} is what the library steers
 * towards: for hls.js and dash.js that is {@code latency}, for Shaka it is {@code edgeDistance} (Shaka's seekable end
 * already lies its presentation delay behind the live edge, so its wall-clock latency settles about that much above
 * the target). {@code lowLatency} is whether the library says it runs in low-latency mode (null when it
 * cannot tell yet, and always for hls.js, whose mode is configured, not detected). {@code fragsBuffered} counts
 * hls.js FRAG_BUFFERED events, dash.js completed media segment loads, Shaka {@code segmentappended} events (one per
 * appended chunk in low-latency mode, so not comparable across players).
 */
public record PlayerReport(long receivedNanos, double currentTime, double bufferedEnd, Double latency,
                           Double targetLatency, boolean playing, int readyState, boolean fatal, String fatalDetails,
                           int errorCount, int fragsBuffered, String hlsVersion, String player, String playerVersion,
                           Boolean lowLatency, Double edgeDistance, Double playbackRate, String errors, String raw) {

    public static PlayerReport parse(String json, long receivedNanos) {
        return new PlayerReport(receivedNanos,
                number(json, "currentTime", 0.0), number(json, "bufferedEnd", 0.0),
                number(json, "latency", null), number(json, "targetLatency", null),
                bool(json, "playing"), number(json, "readyState", 0.0).intValue(),
                bool(json, "fatal"), string(json, "fatalDetails"),
                number(json, "errorCount", 0.0).intValue(), number(json, "fragsBuffered", 0.0).intValue(),
                string(json, "hlsVersion"), string(json, "player"), string(json, "playerVersion"),
                nullableBool(json, "lowLatency"), number(json, "edgeDistance", null),
                number(json, "playbackRate", null), array(json, "errors"), json);
    }

    /**
     * Wall clock minus the playhead's wall-clock time (the ingest time of the frame on screen), comparable across
     * players: hls.js from PROGRAM-DATE-TIME ({@code wallLatency}), dash.js and Shaka report it as their latency.
     */
    public Double wallClockLatency() {
        return number(raw, "wallLatency", "hls.js".equals(player) ? null : latency);
    }

    /** The library's version: {@code playerVersion}, or {@code hlsVersion} from a page that predates it. */
    public String version() {
        return playerVersion != null ? playerVersion : hlsVersion;
    }

    private static Double number(String json, String key, Double fallback) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.valueOf(m.group(1)) : fallback;
    }

    private static boolean bool(String json, String key) {
        return json.contains("\"" + key + "\":true");
    }

    private static Boolean nullableBool(String json, String key) {
        if (json.contains("\"" + key + "\":true")) {
            return Boolean.TRUE;
        }
        return json.contains("\"" + key + "\":false") ? Boolean.FALSE : null;
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
