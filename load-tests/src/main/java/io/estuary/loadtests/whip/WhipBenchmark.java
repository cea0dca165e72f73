package io.estuary.loadtests.whip;

import io.estuary.loadtests.EstuaryServerProcess;
import io.estuary.loadtests.rtmp.FlvFile;
import io.estuary.loadtests.rtmp.Publication;
import io.estuary.loadtests.rtmp.RtmpLoad;
import io.estuary.loadtests.rtmp.RtmpLoadPublisher;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * WHIP ingest, measured: N WHIP publishers in this JVM (the {@link WhipLoadPublisher} replaying a 360p30 H.264 +
 * Opus clip) publish to Estuary in its own JVM; printed are the time from each POST to the first playable part
 * (the first {@code #EXT-X-PART} in the stream's video playlist, polled every 20 ms), and the server process's CPU
 * and RSS per stream over a window. Then, on a fresh server in the same run, the same N streams of the same
 * pictures over RTMP (AAC instead of Opus), measured the same way: CPU per stream side by side. The transcoder is
 * off in both, but WHIP audio is Opus and LL-HLS wants AAC, so the WHIP figures include decoding Opus and encoding
 * AAC for every stream; RTMP's AAC passes through. Prints figures, asserts nothing.
 *
 * <p>Usage: {@code WhipBenchmark [streams=10] [window-seconds=30] [settle-seconds=20]}.
 */
public final class WhipBenchmark {
    private static final Duration START_SPREAD = Duration.ofSeconds(2); // one GOP: streams cut segments apart
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;
    private static final Pattern METRIC = Pattern.compile("^(estuary_whip_[a-z_]+(?:\\{[^}]*})?) (\\S+)$",
            Pattern.MULTILINE);

    private WhipBenchmark() {
    }

    /** What one server did over the window. */
    private record Measured(double cpuPerStream, double cpuTotal, long idleRss, long loadedRss, int streams) {
        double rssPerStreamMib() {
            return (loadedRss - idleRss) / 1048576.0 / streams;
        }
    }

    public static void main(String[] args) throws Exception {
        quietIce4j();
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Duration settle = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);
        Path work = Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "target") : Path.of("target");
        WhipClip clip = WhipClip.load(work);
        FlvFile flv = FlvFile.read(WhipClip.ensureFlv(work));
        long mediaBytes = clip.video().stream().flatMap(p -> p.nalUnits().stream()).mapToLong(n -> n.length).sum()
                + clip.audio().stream().mapToLong(a -> a.data().length).sum();
        System.out.printf(Locale.ROOT, "WHIP_BENCH %d streams, %d s window after %d s settling, %d cores, load"
                + " average %.2f; clip 640x360 30 fps H.264 baseline + Opus 48 kHz stereo 20 ms, %.0f kb/s, %.0f s"
                + " looped%n", streams, window.toSeconds(), settle.toSeconds(), Runtime.getRuntime()
                .availableProcessors(), loadAverage(), mediaBytes * 8 / (clip.loopMicros() / 1e6) / 1000,
                clip.loopMicros() / 1e6);
        System.out.println("WHIP_NOTE the transcoder is off (video passes through); WHIP's Opus is transcoded to"
                + " AAC for LL-HLS in every stream, RTMP's AAC is not: the WHIP figures include that audio"
                + " transcoding");

        Measured whip = whip(clip, streams, window, settle, work);
        Measured rtmp = rtmp(flv, streams, window, settle, work);
        System.out.printf(Locale.ROOT, "WHIP_VS_RTMP CPU per stream: WHIP %.2f%% of a core, RTMP %.2f%% (x%.2f);"
                + " RSS per stream: WHIP %.1f MiB, RTMP %.1f MiB%n", whip.cpuPerStream() * 100,
                rtmp.cpuPerStream() * 100, whip.cpuPerStream() / rtmp.cpuPerStream(), whip.rssPerStreamMib(),
                rtmp.rssPerStreamMib());
    }

    private static Measured whip(WhipClip clip, int streams, Duration window, Duration settle, Path work)
            throws Exception {
        try (EstuaryServerProcess server = EstuaryServerProcess.start(work.resolve("whip-bench-server.log"),
                List.of("estuary.transcoder.enabled=false", "estuary.whip.host-addresses.0=127.0.0.1"))) {
            long idleRss = server.rssBytes();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<WhipPublication> all = new ArrayList<>();
            List<CompletableFuture<Long>> firstParts = new ArrayList<>();
            // A poller per stream: the common pool has one thread on two cores, which would serialize them.
            ExecutorService pollers = Executors.newFixedThreadPool(streams, r -> {
                Thread t = new Thread(r, "first-part-poller");
                t.setDaemon(true);
                return t;
            });
            try (WhipLoadPublisher load = new WhipLoadPublisher(clip, Duration.ofSeconds(10))) {
                for (int i = 0; i < streams; i++) {
                    String stream = server.baseUrl() + String.format("/live/whip-%02d/", i);
                    WhipPublication p = load.publish(URI.create(stream + "whip"), null);
                    all.add(p);
                    firstParts.add(CompletableFuture.supplyAsync(() -> firstPartNanos(http, stream, p), pollers));
                    Thread.sleep(START_SPREAD.toMillis() / streams);
                }
                long[] toPart = firstParts.stream().mapToLong(CompletableFuture::join).filter(n -> n > 0).toArray();
                List<WhipPublication> started = all.stream().filter(p -> p.startedNanos() > 0).toList();
                long[] toIce = started.stream().mapToLong(p -> p.iceConnectedNanos() - p.postedNanos()).toArray();
                long[] toDtls = started.stream().mapToLong(p -> p.startedNanos() - p.iceConnectedNanos()).toArray();
                long[] toMedia = started.stream().mapToLong(p -> p.startedNanos() - p.postedNanos())
                        .toArray();
                System.out.printf(Locale.ROOT, "WHIP_FIRST_PART POST to first #EXT-X-PART: %s%n",
                        percentiles(toPart, streams));
                System.out.printf(Locale.ROOT, "WHIP_CONNECT POST to ICE connected (answer included): %s; then DTLS"
                        + " handshake: %s; POST to media flowing: %s%n", percentiles(toIce, streams),
                        percentiles(toDtls, streams), percentiles(toMedia, streams));
                Measured m = measure(server, streams, idleRss, settle, window, "WHIP");
                System.out.println("WHIP_PUBLISHERS " + summary(all));
                System.out.println("WHIP_SERVER_METRICS " + whipMetrics(server.metrics()));
                return m;
            } finally {
                pollers.shutdownNow();
            }
        }
    }

    private static Measured rtmp(FlvFile flv, int streams, Duration window, Duration settle, Path work)
            throws Exception {
        try (EstuaryServerProcess server = EstuaryServerProcess.start(work.resolve("whip-bench-rtmp-server.log"),
                List.of("estuary.transcoder.enabled=false"));
                RtmpLoadPublisher load = new RtmpLoadPublisher(flv, 1, Duration.ofSeconds(10))) {
            long idleRss = server.rssBytes();
            List<Publication> all = RtmpLoad.startAll(load, "127.0.0.1", server.rtmpPort(), "live", "rtmp",
                    streams, START_SPREAD);
            CompletableFuture.allOf(all.stream().map(Publication::started).toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null).get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Measured m = measure(server, streams, idleRss, settle, window, "RTMP");
            System.out.println("RTMP_PUBLISHERS " + RtmpLoad.summary(all));
            return m;
        }
    }

    /**
     * After settling (the server's JIT compiles its hot paths in the first tens of seconds under load; measured
     * then, that would count as ingest cost), the server's CPU-seconds per second over the window, and its RSS at
     * the end against its RSS at rest before the streams.
     */
    private static Measured measure(EstuaryServerProcess server, int streams, long idleRss, Duration settle,
            Duration window, String label) throws Exception {
        Thread.sleep(settle.toMillis());
        long cpu0 = server.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        long cpu1 = server.cpuNanos();
        long t1 = System.nanoTime();
        long rss = server.rssBytes();
        double cores = (cpu1 - cpu0) / (double) (t1 - t0);
        Measured m = new Measured(cores / streams, cores, idleRss, rss, streams);
        System.out.printf(Locale.ROOT, "%s_SERVER %.3f CPU-s/s for %d streams = %.2f%% of a core per stream; RSS"
                + " %.0f MiB (%.0f MiB at rest) = %.1f MiB per stream; load average %.2f%n", label, cores, streams,
                m.cpuPerStream() * 100, rss / 1048576.0, idleRss / 1048576.0, m.rssPerStreamMib(), loadAverage());
        return m;
    }

    /** Nanoseconds from the POST to the first part in the stream's video playlist; -1 if none came in time. */
    private static long firstPartNanos(HttpClient http, String stream, WhipPublication p) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stream + "video.m3u8"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline && !p.started().isCompletedExceptionally()) {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("#EXT-X-PART:")) {
                    long now = System.nanoTime();
                    return p.postedNanos() == 0 ? -1 : now - p.postedNanos();
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static String percentiles(long[] nanos, int of) {
        if (nanos.length == 0) {
            return "none of " + of;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d of %d streams)",
                rank(sorted, 50), rank(sorted, 95), sorted[sorted.length - 1] / 1e6, sorted.length, of);
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double rank(long[] sorted, double p) {
        int r = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))] / 1e6;
    }

    private static String summary(List<WhipPublication> all) {
        long active = all.stream().filter(WhipPublication::isActive).count();
        String firstClosed = all.stream().filter(p -> !p.isActive()).findFirst()
                .map(p -> "; first ended " + p.name() + ": " + p.closeReason()).orElse("");
        return String.format(Locale.ROOT, "publishing %d/%d, %.1f MB sent, %d packets; NACKed %d, retransmitted %d;"
                + " keyframe requests %d; max late %d ms%s", active, all.size(),
                all.stream().mapToLong(WhipPublication::bytesSent).sum() / 1e6,
                all.stream().mapToLong(WhipPublication::packetsSent).sum(),
                all.stream().mapToLong(WhipPublication::nackedPackets).sum(),
                all.stream().mapToLong(WhipPublication::retransmitted).sum(),
                all.stream().mapToLong(WhipPublication::keyframeRequests).sum(),
                all.stream().mapToLong(WhipPublication::maxLateMs).max().orElse(0), firstClosed);
    }

    /** The server's WHIP counters that are not zero, on one line. */
    private static String whipMetrics(String metrics) {
        List<String> out = new ArrayList<>();
        Matcher m = METRIC.matcher(metrics);
        while (m.find()) {
            if (Double.parseDouble(m.group(2)) != 0) {
                out.add(m.group(1) + "=" + m.group(2).replaceAll("\\.0$", ""));
            }
        }
        return String.join(" ", out);
    }

    /**
     * ice4j and jitsi log each agent's every state change at INFO through java.util.logging (their loggers set
     * their own levels, so the console handler is where to filter); this JVM's own logs go through logback.
     */
    private static void quietIce4j() {
        for (Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
