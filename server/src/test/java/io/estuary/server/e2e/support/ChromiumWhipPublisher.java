package io.estuary.server.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Headless Chromium publishing its fake camera and microphone over WHIP, from a plain page ({@code e2e/whip.html}:
 * getUserMedia, RTCPeerConnection, a POST of the offer). The page is served by a JDK HTTP server on a port of its
 * own, so the WHIP POST is cross-origin and CORS is part of the test. The page reports its progress (answered,
 * connection states, sender statistics) as JSON to that server.
 */
public final class ChromiumWhipPublisher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer origin;
    private final Process chromium;
    private final Path userDataDir;
    private final List<JsonNode> reports;

    private ChromiumWhipPublisher(HttpServer origin, Process chromium, Path userDataDir, List<JsonNode> reports) {
        this.origin = origin;
        this.chromium = chromium;
        this.userDataDir = userDataDir;
        this.reports = reports;
    }

    /** Starts publishing to {@code whipUrl}, with {@code token} as the Bearer stream key (null: none). */
    public static ChromiumWhipPublisher start(String whipUrl, String token, Path log) {
        Processes.requireExecutable("/usr/bin/chromium", "chromium");
        byte[] page = resource("/e2e/whip.html");
        List<JsonNode> reports = new CopyOnWriteArrayList<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "whip-page-origin");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/whip.html", ex -> respond(ex, 200, "text/html; charset=utf-8", page));
        server.createContext("/favicon.ico", ex -> respond(ex, 204, "text/plain", new byte[0]));
        server.createContext("/report", ex -> {
            reports.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            respond(ex, 204, "text/plain", new byte[0]);
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/whip.html?whip="
                + URLEncoder.encode(whipUrl, StandardCharsets.UTF_8)
                + (token == null ? "" : "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        try {
            Path userData = Files.createTempDirectory("estuary-chromium-whip-");
            List<String> cmd = new ArrayList<>();
            cmd.add("/usr/bin/chromium");
            cmd.addAll(ChromiumPlayer.FLAGS);
            // Fake camera (a moving test pattern) and microphone (a beep), granted without a prompt.
            cmd.add("--use-fake-device-for-media-stream");
            cmd.add("--use-fake-ui-for-media-stream");
            cmd.add("--user-data-dir=" + userData);
            cmd.add(url);
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new ChromiumWhipPublisher(server, process, userData, reports);
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException("cannot start chromium", e);
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
        Processes.killTree(chromium, Duration.ofSeconds(3));
        origin.stop(0);
        ChromiumPlayer.deleteQuietly(userDataDir);
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = ChromiumWhipPublisher.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
