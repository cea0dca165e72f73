package io.estuary.server.e2e.support;

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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Headless Chromium playing a stream with one of the {@link Player} libraries (hls.js, dash.js, Shaka), without
 * WebDriver: a JDK HTTP server on its own port (so another origin than the stream, which makes CORS part of the
 * test) serves the player's page, its library script and the shared report script, and receives the page's status
 * reports. Chromium is started on that page and killed, with all its children, on close.
 */
public final class ChromiumPlayer implements AutoCloseable {

    /** Chromium flags known to work in this environment (see DEPENDENCIES.md). */
    public static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--autoplay-policy=no-user-gesture-required", "--mute-audio");

    /** The report-posting script every page loads ({@code <script src="/report.js">}), and its path there. */
    private static final String REPORT_SCRIPT = "/e2e/report.js";
    private static final String REPORT_SCRIPT_PATH = "/report.js";

    private final HttpServer origin;
    private final Process chromium;
    private final Path userDataDir;
    private final List<PlayerReport> sink;
    private final Player player;

    private ChromiumPlayer(Player player, HttpServer origin, Process chromium, Path userDataDir,
                           List<PlayerReport> sink) {
        this.player = player;
        this.origin = origin;
        this.chromium = chromium;
        this.userDataDir = userDataDir;
        this.sink = sink;
    }

    /** Path of hls.min.js installed by {@code npm ci} in {@code server/src/test/browser}. */
    public static Path hlsJs() {
        return Player.HLSJS.script();
    }

    /** Opens the hls.js page (what the HLS tests use). {@code streamUrl} null: report-only mode. */
    public static ChromiumPlayer open(String streamUrl, Path log) {
        return open(Player.HLSJS, streamUrl, Map.of(), log);
    }

    /**
     * Opens {@code player}'s page on a fresh test origin. {@code streamUrl} null opens the page in report-only mode
     * (used to prove the harness itself: the page still loads the library and reports its version).
     */
    public static ChromiumPlayer open(Player player, String streamUrl, Path log) {
        return open(player, streamUrl, Map.of(), log);
    }

    /**
     * As {@link #open(Player, String, Path)}, with extra query parameters for the page. The DASH pages read
     * {@code latency=mpd}: leave target latency and catch-up rates to the MPD's ServiceDescription instead of the
     * page's own settings (dash.js gives its settings precedence over the MPD, see dashjs.html).
     */
    public static ChromiumPlayer open(Player player, String streamUrl, Map<String, String> pageParams, Path log) {
        Processes.requireExecutable("/usr/bin/chromium", "chromium");
        byte[] script = read(player.script());
        byte[] page = resource(player.pageResource());
        byte[] reportScript = resource(REPORT_SCRIPT);
        List<PlayerReport> sink = new CopyOnWriteArrayList<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "test-origin");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(player.pagePath(), ex -> respond(ex, 200, "text/html; charset=utf-8", page));
        server.createContext(player.scriptPath(), ex -> respond(ex, 200, "text/javascript", script));
        // Contexts match by path prefix, longest first: /report.js gets the script, /report still the posts.
        server.createContext(REPORT_SCRIPT_PATH, ex -> respond(ex, 200, "text/javascript", reportScript));
        server.createContext("/favicon.ico", ex -> respond(ex, 204, "text/plain", new byte[0]));
        server.createContext("/report", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            sink.add(PlayerReport.parse(body, System.nanoTime()));
            respond(ex, 204, "text/plain", new byte[0]);
        });
        server.start();
        Map<String, String> query = new LinkedHashMap<>();
        if (streamUrl != null) {
            query.put("src", streamUrl);
        }
        query.putAll(pageParams);
        StringBuilder pageUrl = new StringBuilder("http://127.0.0.1:" + server.getAddress().getPort()
                + player.pagePath());
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            pageUrl.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        Path userData;
        Process process;
        try {
            userData = Files.createTempDirectory("estuary-chromium-");
            List<String> cmd = new ArrayList<>();
            cmd.add("/usr/bin/chromium");
            cmd.addAll(FLAGS);
            cmd.add("--user-data-dir=" + userData);
            cmd.add(pageUrl.toString());
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException("cannot start chromium", e);
        }
        return new ChromiumPlayer(player, server, process, userData, sink);
    }

    public Player player() {
        return player;
    }

    public List<PlayerReport> reports() {
        return List.copyOf(sink);
    }

    public PlayerReport latest() {
        List<PlayerReport> all = reports();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public int originPort() {
        return origin.getAddress().getPort();
    }

    public boolean isAlive() {
        return chromium.isAlive();
    }

    /** Waits for a report matching {@code condition}; fails with the last report and Chromium's state if none. */
    public PlayerReport await(Predicate<PlayerReport> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (PlayerReport r : reports()) {
                if (condition.test(r)) {
                    return r;
                }
            }
            if (!chromium.isAlive()) {
                throw new AssertionError("chromium exited (" + chromium.exitValue() + ") while waiting for " + what);
            }
            sleep(100);
        }
        throw new AssertionError("no player report showed " + what + " within " + timeout + "; last report: " + latest());
    }

    /** Reports received after {@code nanos} (System.nanoTime). */
    public List<PlayerReport> reportsSince(long nanos) {
        return reports().stream().filter(r -> r.receivedNanos() >= nanos).toList();
    }

    @Override
    public void close() {
        Processes.killTree(chromium, Duration.ofSeconds(3));
        origin.stop(0);
        deleteQuietly(userDataDir);
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

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ChromiumPlayer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a temp dir
        }
    }
}
