package io.estuary.server.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Headless Chromium publishing its fake camera and microphone over WHIP, from a plain page ({@code e2e/whip.html}:
 * getUserMedia, RTCPeerConnection, a POST of the offer). The page is served by a JDK HTTP server on a port of its
 * own, so the WHIP POST is cross-origin and CORS is part of the test. The page reports its progress (answered,
 * connection states, sender statistics) as JSON to that server.
 */
public final class ChromiumWhipPublisher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestOrigin origin;
    private final ChromiumProcess chromium;
    private final List<JsonNode> reports;

    private ChromiumWhipPublisher(TestOrigin origin, ChromiumProcess chromium, List<JsonNode> reports) {
        this.origin = origin;
        this.chromium = chromium;
        this.reports = reports;
    }

    /** Starts publishing to {@code whipUrl}, with {@code token} as the Bearer stream key (null: none). */
    public static ChromiumWhipPublisher start(String whipUrl, String token, Path log) {
        return start(whipUrl, token, Map.of(), log);
    }

    /** As {@link #start(String, String, Path)}, with more page parameters (see whip.html: closeAfter...). */
    public static ChromiumWhipPublisher start(String whipUrl, String token, Map<String, String> params, Path log) {
        List<JsonNode> reports = new CopyOnWriteArrayList<>();
        TestOrigin origin = new TestOrigin("whip-page-origin")
                .serve("/whip.html", "text/html; charset=utf-8", TestOrigin.resource("/e2e/whip.html"))
                .receive("/report", body -> {
                    try {
                        reports.add(JSON.readTree(body));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .start();
        String url = origin.base() + "/whip.html?whip=" + URLEncoder.encode(whipUrl, StandardCharsets.UTF_8)
                + (token == null ? "" : "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        for (Map.Entry<String, String> p : params.entrySet()) {
            url += "&" + p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8);
        }
        try {
            // Fake camera (a moving test pattern) and microphone (a beep), granted without a prompt.
            return new ChromiumWhipPublisher(origin, ChromiumProcess.open(url, List.of(
                    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"), log), reports);
        } catch (RuntimeException e) {
            origin.close();
            throw e;
        }
    }

    public List<JsonNode> reports() {
        return List.copyOf(reports);
    }

    /** Waits for a report matching {@code condition}; fails with every report so far if none comes. */
    public JsonNode await(Predicate<JsonNode> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode r : reports) {
                if (condition.test(r)) {
                    return r;
                }
            }
            if (!chromium.isAlive()) {
                throw new AssertionError("chromium exited (" + chromium.exitValue() + ") waiting for " + what);
            }
            ChromiumPlayer.sleep(100);
        }
        throw new AssertionError("the WHIP page did not report " + what + " within " + timeout + "; reports: "
                + reports);
    }

    /** The page's answered report: the session's Location, ETag and the answer. */
    public JsonNode awaitAnswered(Duration timeout) {
        JsonNode r = await(n -> n.path("event").asText().matches("answered|rejected|error"), timeout,
                "the answer to its offer");
        if (!r.path("event").asText().equals("answered")) {
            throw new AssertionError("the WHIP offer was not answered: " + r);
        }
        return r;
    }

    /** The latest sender statistics the page reported (video outbound-rtp), or null. */
    public JsonNode latestStats() {
        JsonNode last = null;
        for (JsonNode r : reports) {
            if (r.path("event").asText().equals("stats")) {
                last = r;
            }
        }
        return last;
    }

    @Override
    public void close() {
        chromium.close();
        origin.close();
    }
}
