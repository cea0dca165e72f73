package io.estuary.server.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final TestOrigin origin;
    private final ChromiumProcess chromium;
    private final List<PlayerReport> sink;
    private final Player player;

    private ChromiumPlayer(Player player, TestOrigin origin, ChromiumProcess chromium, List<PlayerReport> sink) {
        this.player = player;
        this.origin = origin;
        this.chromium = chromium;
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
        List<PlayerReport> sink = new CopyOnWriteArrayList<>();
        // Contexts match by path prefix, longest first: /report.js gets the script, /report still the posts.
        TestOrigin origin = new TestOrigin("test-origin")
                .serve(player.pagePath(), "text/html; charset=utf-8", TestOrigin.resource(player.pageResource()))
                .serve(player.scriptPath(), "text/javascript", read(player.script()))
                .serve(REPORT_SCRIPT_PATH, "text/javascript", TestOrigin.resource(REPORT_SCRIPT))
                .receive("/report", body -> sink.add(PlayerReport.parse(new String(body, StandardCharsets.UTF_8),
                        System.nanoTime())))
                .start();
        Map<String, String> query = new LinkedHashMap<>();
        if (streamUrl != null) {
            query.put("src", streamUrl);
        }
        query.putAll(pageParams);
        StringBuilder pageUrl = new StringBuilder(origin.base() + player.pagePath());
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            pageUrl.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        try {
            return new ChromiumPlayer(player, origin, ChromiumProcess.open(pageUrl.toString(), List.of(), log), sink);
        } catch (RuntimeException e) {
            origin.close();
            throw e;
        }
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
        return origin.port();
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
        chromium.close();
        origin.close();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
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
