package io.estuary.loadtests;

import ch.qos.logback.classic.Level;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.loadtests.rtmp.FlvFile;
import io.estuary.loadtests.rtmp.Publication;
import io.estuary.loadtests.rtmp.RtmpLoad;
import io.estuary.loadtests.rtmp.RtmpLoadPublisher;
import io.estuary.loadtests.rtmp.SampleFlv;
import io.estuary.server.EstuaryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * How long a Prometheus scrape of {@code /metrics} takes with N live streams (the issue asks: under 50 ms with 50).
 * An embedded server on free loopback ports, N RTMP publishers replaying a cached 720p30 clip from this JVM, then
 * {@code GET /metrics} M times in sequence over one keep-alive connection, with 0 streams and with N. Also prints
 * what N streams cost the server: CPU (the publisher's own threads subtracted) and heap after a full GC.
 * Usage: {@code MetricsScrapeBenchmark [streams=50] [scrapes=200]}. Prints figures, asserts nothing.
 */
public final class MetricsScrapeBenchmark {
    private static final Pattern STREAM_LABEL = Pattern.compile("stream=\"([^\"]*)\"");
    /** Not counted: the first few hundred requests run interpreted code on both sides of the connection. */
    private static final int WARM_UP_SCRAPES = 200;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int CPU_WINDOW_SECONDS = 10;
    /** One GOP of the clip: streams start (and cut segments) at different moments, as independent encoders do. */
    private static final Duration START_SPREAD = Duration.ofSeconds(2);

    private MetricsScrapeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        // The server logs a line per publish and unpublish; the figures are what this run is for.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.estuary")).setLevel(Level.WARN);
        Path cache = Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "target") : Path.of("target");
        FlvFile flv = FlvFile.read(SampleFlv.ensure(cache)); // encoded before the server starts: no CPU overlap
        Config config = ConfigFactory.parseMap(Map.of("estuary.http.host", "127.0.0.1", "estuary.http.port", 0,
                "estuary.rtmp.port", 0, "estuary.whip.udp-port", 0, "estuary.transcoder.enabled", false))
                .withFallback(ConfigFactory.load());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (EstuaryServer server = EstuaryServer.start(config);
                RtmpLoadPublisher load = new RtmpLoadPublisher(flv, 1, Duration.ofSeconds(15))) {
            String base = "http://127.0.0.1:" + server.httpPort();
            System.out.printf("system load average before: %.2f on %d cores%n", ProcessProbe.loadAverage(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("replaying %s: %.0f kb/s, %d ms per loop, %d tags%n", SampleFlv.FILE_NAME,
                    flv.bitrateBps() / 1000, flv.loopDurationMs(), flv.tags().size());

            System.out.println("\n== 0 streams ==");
            scrape(http, base + "/healthz", WARM_UP_SCRAPES);
            // The floor: what a request costs through this client and the HTTP pipeline when the answer is "ok".
            System.out.println("GET /healthz x" + scrapes + ": "
                    + ProcessProbe.latencyLine(scrape(http, base + "/healthz", scrapes).nanos));
            scrape(http, base + "/metrics", WARM_UP_SCRAPES);
            Scrapes idle = scrape(http, base + "/metrics", scrapes);
            idle.print();
            long heapIdle = ProcessProbe.heapAfterGc();
            long nettyIdle = ProcessProbe.nettyUsedBytes();
            long directIdle = ProcessProbe.jdkDirectBytes();
            ProcessProbe.Cpu idleFrom = ProcessProbe.Cpu.now(load::cpuNanos);
            Thread.sleep(2000);
            System.out.printf("server CPU at rest: %.3f CPU-s/s%n",
                    ProcessProbe.Cpu.now(load::cpuNanos).serverCoresSince(idleFrom));

            System.out.println("\n== " + streams + " streams ==");
            ProcessProbe.Cpu rampFrom = ProcessProbe.Cpu.now(load::cpuNanos);
            List<Publication> all = RtmpLoad.startAll(load, "127.0.0.1", server.rtmpPort(), "live", "load", streams,
                    START_SPREAD);
            long[] readyNanos = waitForPlaylists(http, base, all);
            ProcessProbe.Cpu ready = ProcessProbe.Cpu.now(load::cpuNanos);
            long[] reached = Arrays.stream(readyNanos).filter(n -> n > 0).toArray();
            long readyCount = reached.length;
            System.out.printf("%d/%d playlists answered 200 within %.2f s of the first connect (connects spread over"
                            + " %d s); per stream, connect to playlist: %s%n", readyCount, streams,
                    ready.secondsSince(rampFrom), START_SPREAD.toSeconds(),
                    reached.length == 0 ? "-" : ProcessProbe.latencyLine(reached));
            System.out.printf("server CPU while ramping up: %.2f CPU-s/s (publisher %.2f)%n",
                    ready.serverCoresSince(rampFrom), ready.loadCoresSince(rampFrom));
            if (readyCount < streams) {
                System.out.println(RtmpLoad.summary(all));
            }

            ProcessProbe.Cpu steadyFrom = ProcessProbe.Cpu.now(load::cpuNanos);
            Thread.sleep(CPU_WINDOW_SECONDS * 1000L);
            ProcessProbe.Cpu steady = ProcessProbe.Cpu.now(load::cpuNanos);
            double serverCores = steady.serverCoresSince(steadyFrom);
            System.out.printf("ingest, %d s window: server %.3f CPU-s/s (%.4f per stream, %.1f ms/s per stream), "
                            + "publisher %.3f CPU-s/s%n", CPU_WINDOW_SECONDS, serverCores, serverCores / streams,
                    serverCores / streams * 1000, steady.loadCoresSince(steadyFrom));

            scrape(http, base + "/metrics", 20); // the first scrapes with N streams build their label sets
            Scrapes busy = scrape(http, base + "/metrics", scrapes);
            busy.print();
            // Before the forced collections below: they stop the publisher's threads too, and would show as lateness.
            System.out.println(RtmpLoad.summary(all));

            // The live window is full after window-segments x segment-target (10 x 2 s by default) and one more
            // segment being cut, counted from the last connect.
            Duration segment = config.getDuration("estuary.packager.segment-target");
            Duration fill = segment.multipliedBy(config.getInt("estuary.packager.window-segments") + 1);
            long settle = rampFrom.wallNanos() + START_SPREAD.toNanos() + fill.toNanos() - System.nanoTime();
            if (settle > 0) {
                Thread.sleep(settle / 1_000_000);
            }
            long heapBusy = ProcessProbe.heapAfterGc();
            long nettyBusy = ProcessProbe.nettyUsedBytes();
            long directBusy = ProcessProbe.jdkDirectBytes();
            System.out.printf("heap after GC: %s with 0 streams, %s with %d -> %s per stream (live window full)%n",
                    ProcessProbe.mib(heapIdle), ProcessProbe.mib(heapBusy), streams,
                    ProcessProbe.mib((heapBusy - heapIdle) / Math.max(1, streams)));
            System.out.printf("JDK direct buffers (the live windows): %s with 0 streams, %s with %d -> %s per stream%n",
                    ProcessProbe.mib(directIdle), ProcessProbe.mib(directBusy), streams,
                    ProcessProbe.mib((directBusy - directIdle) / Math.max(1, streams)));
            if (nettyIdle >= 0) {
                System.out.printf("Netty default allocator in use: %s with 0 streams, %s with %d%n",
                        ProcessProbe.mib(nettyIdle), ProcessProbe.mib(nettyBusy), streams);
            }

            System.out.println("\n== 0 vs " + streams + " streams ==");
            System.out.printf("scrape p50 %.2f -> %.2f ms, p99 %.2f -> %.2f ms, body %d -> %d bytes%n",
                    idle.percentileMs(50), busy.percentileMs(50), idle.percentileMs(99), busy.percentileMs(99),
                    idle.bodyBytes, busy.bodyBytes);
            // The server's own histogram: arrival to response, without the client's and the kernel's share.
            String sum = "estuary_http_request_duration_seconds_sum";
            String count = "estuary_http_request_duration_seconds_count";
            String route = "route=\"metrics\"";
            double idleCount = idle.sum(count, route);
            double busyCount = busy.sum(count, route) - idleCount;
            if (idleCount > 0 && busyCount > 0) {
                System.out.printf("server-side mean (estuary_http_request_duration_seconds): %.2f ms (0 streams, warm-up"
                                + " included) -> %.2f ms (%d streams)%n",
                        idle.sum(sum, route) / idleCount * 1000,
                        (busy.sum(sum, route) - idle.sum(sum, route)) / busyCount * 1000, streams);
            }
            System.out.printf("system load average at the end: %.2f on %d cores (other processes count too)%n",
                    ProcessProbe.loadAverage(), Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * Polls every stream's multivariant playlist until it answers 200; returns how long after its connect each did
     * (0: never, within the timeout).
     */
    private static long[] waitForPlaylists(HttpClient http, String base, List<Publication> all) throws Exception {
        long[] ready = new long[all.size()];
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int pending = all.size();
        while (pending > 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < all.size(); i++) {
                if (ready[i] == 0 && status(http, base + "/live/" + all.get(i).name() + "/index.m3u8") == 200) {
                    ready[i] = System.nanoTime() - all.get(i).connectNanos();
                    pending--;
                }
            }
            Thread.sleep(100);
        }
        return ready;
    }

    private static int status(HttpClient http, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Scrapes scrape(HttpClient http, String url, int count) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build();
        long[] nanos = new long[count];
        HttpResponse<byte[]> last = null;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            last = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - start;
        }
        return new Scrapes(nanos, last.statusCode(), last.body());
    }

    /** The latencies of a run of scrapes and what the last one answered. */
    private static final class Scrapes {
        final long[] nanos;
        final int status;
        final int bodyBytes;
        final String body;

        Scrapes(long[] nanos, int status, byte[] body) {
            this.nanos = nanos.clone();
            Arrays.sort(this.nanos);
            this.status = status;
            this.bodyBytes = body.length;
            this.body = new String(body, StandardCharsets.UTF_8);
        }

        /** The sum of a metric's samples over all its label sets (0 when absent). */
        double sum(String name) {
            return sum(name, "");
        }

        /** The sum of a metric's samples whose line contains {@code label}, e.g. {@code route="metrics"}. */
        double sum(String name, String label) {
            double total = 0;
            for (String line : body.split("\n")) {
                if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(label)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        }

        double percentileMs(double p) {
            return ProcessProbe.percentileMs(nanos, p);
        }

        void print() {
            System.out.println("GET /metrics x" + nanos.length + ": " + ProcessProbe.latencyLine(nanos));
            if (status != 200) {
                System.out.println("  answered " + status + ": this server has no /metrics yet; the latency above is"
                        + " that of its " + status + " page");
                return;
            }
            int lines = 0;
            int samples = 0;
            int perStream = 0;
            Set<String> streams = new TreeSet<>();
            Map<String, Integer> perStreamByFamily = new LinkedHashMap<>();
            for (String line : body.split("\n")) {
                lines++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                samples++;
                Matcher m = STREAM_LABEL.matcher(line);
                if (m.find()) {
                    perStream++;
                    streams.add(m.group(1));
                    String family = line.substring(0, Math.max(0, line.indexOf('{')));
                    perStreamByFamily.merge(family, 1, Integer::sum);
                }
            }
            System.out.printf("  body %d bytes, %d lines, %d samples; %d per-stream series over %d streams%n",
                    bodyBytes, lines, samples, perStream, streams.size());
            System.out.printf("  the server says: estuary_streams_live %.0f, live windows %s in all, Netty allocator"
                            + " %s direct + %s heap%n", sum("estuary_streams_live"),
                    ProcessProbe.mib((long) sum("estuary_packager_window_bytes")),
                    ProcessProbe.mib((long) sum("estuary_netty_allocator_used_direct_memory_bytes")),
                    ProcessProbe.mib((long) sum("estuary_netty_allocator_used_heap_memory_bytes")));
            if (!perStreamByFamily.isEmpty()) {
                List<String> families = new ArrayList<>();
                perStreamByFamily.forEach((k, v) -> families.add(k + "=" + v));
                System.out.println("  per-stream series by name: " + String.join(", ", families));
            }
        }
    }
}
