package io.estuary.loadtests;

import io.estuary.loadtests.rtmp.FlvFile;
import io.estuary.loadtests.rtmp.Publication;
import io.estuary.loadtests.rtmp.RtmpLoad;
import io.estuary.loadtests.rtmp.RtmpLoadPublisher;
import io.estuary.loadtests.rtmp.SampleFlv;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What ingest costs, side by side with a peer, in one run: Estuary and nginx-rtmp each run as a separate process,
 * take the same N RTMP streams (the load publisher in this JVM replays a cached 720p30 clip in real time), and are
 * measured the same way from /proc: CPU-seconds per second (utime + stime) and RSS (VmRSS) over a window, after
 * every stream's playlist answers and a settling pause. Both package: Estuary makes LL-HLS (CMAF parts in memory),
 * nginx-rtmp writes 2 s MPEG-TS fragments and playlists to disk ({@code hls on}).
 * Usage: {@code IngestPeerBenchmark [streams=20] [seconds=30]}. Prints figures, asserts nothing.
 */
public final class IngestPeerBenchmark {
    private static final Duration START_SPREAD = Duration.ofSeconds(2); // one GOP of the clip
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Before measuring: the JVM spends its first tens of seconds under load compiling the hot paths (a profile of
     * a 35 s run showed half the process's CPU in the JIT, and CPU still fell between 20 and 50 s); measured
     * earlier, that would count as ingest cost.
     */
    private static final Duration SETTLE = Duration.ofSeconds(45);
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final double QUIET_LOAD = 1.5;
    private static final int QUIET_WAIT_SECONDS = Integer.getInteger("ingest.quietWaitSeconds", 60);
    /** Options of Estuary's JVM: -Dingest.estuaryJvm=..., or ESTUARY_BENCH_JVM in the environment. */
    private static final String ESTUARY_JVM = System.getProperty("ingest.estuaryJvm",
            Objects.requireNonNullElse(System.getenv("ESTUARY_BENCH_JVM"), "-Xmx1g"));
    private static final String PREFIX = "load";
    /** The servers this run started: stopped by a shutdown hook too, should the run be interrupted (timeout). */
    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

    private IngestPeerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "stop-servers"));
        Path cache = Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "target") : Path.of("target");
        FlvFile flv = FlvFile.read(SampleFlv.ensure(cache)); // encoded before anything is measured
        System.out.printf("ingest side by side: %d streams, %d s window, on %d cores; replaying %s (%.0f kb/s media,"
                        + " %d ms loop)%n", streams, seconds, Runtime.getRuntime().availableProcessors(),
                SampleFlv.FILE_NAME, flv.bitrateBps() / 1000, flv.loopDurationMs());
        waitForQuiet();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        // Open to others: nginx's worker runs as nobody when started by root, and writes its fragments under here.
        Path work = Files.createTempDirectory("ingest-peer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<Result> results = new ArrayList<>();
        boolean done = false;
        try {
            results.add(runEstuary(http, flv, streams, seconds, Files.createDirectories(work.resolve("estuary"))));
            String missing = NginxRtmpPeer.missing();
            if (missing != null) {
                System.out.println("\nnginx-rtmp peer SKIPPED: " + missing);
            } else {
                results.add(runNginx(http, flv, streams, seconds, Files.createDirectories(work.resolve("nginx"))));
            }
            printTable(results, streams, seconds, flv);
            done = true;
        } finally {
            if (done) {
                deleteTree(work);
            } else {
                System.out.println("logs kept in " + work);
            }
        }
    }

    // ---------------------------------------------------------------- the two servers

    private static Result runEstuary(HttpClient http, FlvFile flv, int streams, int seconds, Path dir)
            throws Exception {
        int httpPort = freePort();
        int rtmpPort = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(ESTUARY_JVM.trim().split("\\s+")));
        cmd.addAll(List.of("-Destuary.http.host=127.0.0.1", "-Destuary.http.port=" + httpPort,
                "-Destuary.rtmp.port=" + rtmpPort, "-Destuary.whip.udp-port=0", "-Destuary.transcoder.enabled=false",
                "-cp", System.getProperty("java.class.path"),
                "io.estuary.server.Main"));
        System.out.printf("%n== Estuary: java %s io.estuary.server.Main (separate process, ESTUARY_LOG_LEVEL=WARN) ==%n",
                ESTUARY_JVM);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("estuary.log").toFile());
        pb.environment().put("ESTUARY_LOG_LEVEL", "WARN");
        Process server = pb.start();
        STARTED.add(server);
        try {
            String base = "http://127.0.0.1:" + httpPort;
            awaitUp(http, base + "/readyz", server, dir.resolve("estuary.log"));
            Result r = measure("Estuary", http, flv, streams, seconds, server, rtmpPort,
                    name -> base + "/live/" + name + "/index.m3u8");
            // What the server says is in its memory: the live windows are in RSS, where nginx's are in files.
            String metrics = getString(http, base + "/metrics");
            long window = (long) sum(metrics, "estuary_packager_window_bytes", "");
            // Where its RSS goes: the heap as committed (G1 sizes it), the JDK's direct buffers (the live windows:
            // the listed segments and the retired ones still served for a while), Netty's pooled buffers.
            System.out.printf("Estuary says at the end: heap used %s of %s committed, JDK direct buffers %s (live"
                            + " windows %s in all, %s per stream), Netty allocator %s direct%n",
                    ProcessProbe.mib((long) sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"")),
                    ProcessProbe.mib((long) sum(metrics, "jvm_memory_committed_bytes", "area=\"heap\"")),
                    ProcessProbe.mib((long) sum(metrics, "jvm_buffer_pool_used_bytes", "pool=\"direct\"")),
                    ProcessProbe.mib(window), ProcessProbe.mib(window / streams),
                    ProcessProbe.mib((long) sum(metrics, "estuary_netty_allocator_used_direct_memory_bytes", "")));
            return r.withWindow(window);
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook closes the server
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Result runNginx(HttpClient http, FlvFile flv, int streams, int seconds, Path dir)
            throws Exception {
        int httpPort = freePort();
        int rtmpPort = freePort();
        Path conf = NginxRtmpPeer.prepare(dir, rtmpPort, httpPort);
        System.out.printf("%n== nginx-rtmp: %s, 1 worker, hls on (2 s MPEG-TS fragments and playlists written to"
                + " disk, no LL-HLS parts) ==%n", versionOf());
        Process master = NginxRtmpPeer.start(dir, conf);
        STARTED.add(master);
        try {
            String base = "http://127.0.0.1:" + httpPort;
            awaitUp(http, base + "/up", master, dir.resolve("nginx.out"));
            Result r = measure("nginx-rtmp", http, flv, streams, seconds, master, rtmpPort,
                    name -> base + "/hls/" + name + ".m3u8");
            long onDisk;
            try (Stream<Path> files = Files.list(dir.resolve("hls"))) {
                onDisk = files.mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("nginx-rtmp's live windows at the end: %s of fragments and playlists in %s (page"
                    + " cache: not in its RSS)%n", ProcessProbe.mib(onDisk), dir.resolve("hls"));
            r = r.withWindow(onDisk);
            // Less the 404s of the playlists polled before their first fragment was written.
            String errors = Files.exists(dir.resolve("nginx-error.log"))
                    ? String.join("\n", Files.readString(dir.resolve("nginx-error.log")).lines()
                            .filter(l -> !l.contains("(2: No such file or directory)")).toList()) : "";
            if (!errors.isEmpty()) {
                System.out.println("nginx error log (last lines):\n  " + String.join("\n  ",
                        tail(errors, 5)));
            }
            return r;
        } finally {
            NginxRtmpPeer.stop(master);
        }
    }

    // ---------------------------------------------------------------- the measurement, the same for both

    /** What one server did with the N streams. */
    private record Result(String name, double idleCores, long idleRss, long[] readyNanos, double cores,
            long peakRss, long endRss, double publisherCores, long maxLateMs, int stallsInWindow, int stalls,
            double sentRealTime, int publishing, int playlistsAtEnd, double loadBefore, double loadAfter,
            long windowBytes) {
        /** With the bytes of the live windows at the end, as the server holds them (memory or files). */
        Result withWindow(long bytes) {
            return new Result(name, idleCores, idleRss, readyNanos, cores, peakRss, endRss, publisherCores, maxLateMs,
                    stallsInWindow, stalls, sentRealTime, publishing, playlistsAtEnd, loadBefore, loadAfter, bytes);
        }
    }

    private static Result measure(String name, HttpClient http, FlvFile flv, int streams, int seconds,
            Process server, int rtmpPort, Function<String, String> playlistUrl) throws Exception {
        double loadBefore = ProcessProbe.loadAverage();
        Sample idleFrom = Sample.of(server);
        Thread.sleep(IDLE.toMillis());
        Sample idle = Sample.of(server);
        System.out.printf("up: %s; RSS %s, %.3f CPU-s/s at rest; load average %.2f%n", processNames(server),
                ProcessProbe.mib(idle.rss), idle.coresSince(idleFrom), loadBefore);
        try (RtmpLoadPublisher load = new RtmpLoadPublisher(flv, 2, Duration.ofSeconds(15))) {
            List<Publication> all = RtmpLoad.startAll(load, "127.0.0.1", rtmpPort, NginxRtmpPeer.APP, PREFIX,
                    streams, START_SPREAD);
            long[] ready = waitForPlaylists(http, all, playlistUrl);
            long reached = Arrays.stream(ready).filter(n -> n > 0).count();
            System.out.printf("%d/%d playlists answered 200 (connects spread over %d s); connect to playlist: %s%n",
                    reached, streams, START_SPREAD.toSeconds(),
                    reached == 0 ? "-" : ProcessProbe.latencyLine(Arrays.stream(ready).filter(n -> n > 0).toArray()));
            if (reached < streams) {
                System.out.println("NOT ALL READY: " + RtmpLoad.summary(all));
            }
            Thread.sleep(SETTLE.toMillis());

            Sample from = Sample.of(server);
            long bytesFrom = all.stream().mapToLong(Publication::bytesSent).sum();
            int stallsFrom = all.stream().mapToInt(Publication::stalls).sum();
            long loadCpuFrom = load.cpuNanos();
            long peakRss = from.rss;
            Sample to = from;
            Sample half = from;
            for (int s = 1; s <= seconds; s++) {
                long wake = from.wallNanos + TimeUnit.SECONDS.toNanos(s) - System.nanoTime();
                if (wake > 0) {
                    TimeUnit.NANOSECONDS.sleep(wake);
                }
                to = Sample.of(server);
                peakRss = Math.max(peakRss, to.rss);
                if (s == seconds / 2) {
                    half = to;
                }
            }
            double wall = (to.wallNanos - from.wallNanos) / 1e9;
            double cores = to.coresSince(from);
            long bytes = all.stream().mapToLong(Publication::bytesSent).sum() - bytesFrom;
            double sentRealTime = bytes / (flv.bitrateBps() / 8 * streams * wall);
            double publisherCores = (load.cpuNanos() - loadCpuFrom) / 1e9 / wall;
            int stalls = all.stream().mapToInt(Publication::stalls).sum();
            double loadAfter = ProcessProbe.loadAverage();
            int publishing = (int) all.stream().filter(Publication::isActive).count();
            int playlists = 0;
            for (Publication p : all) {
                playlists += status(http, playlistUrl.apply(p.name())) == 200 ? 1 : 0;
            }
            // The halves show whether start-up work (JIT compilation, heap sizing) still runs in the window.
            System.out.printf("%.1f s window: %.3f CPU-s/s (%.1f ms/s per stream; first half %.3f, second half %.3f),"
                            + " RSS %s at the end, peak %s; load average %.2f%n", wall, cores,
                    cores / streams * 1000, half.coresSince(from), to.coresSince(half), ProcessProbe.mib(to.rss),
                    ProcessProbe.mib(peakRss), loadAfter);
            System.out.println(RtmpLoad.summary(all) + "; " + playlists + "/" + streams + " playlists answer 200");
            long maxLate = all.stream().mapToLong(Publication::maxLateMs).max().orElse(0);
            return new Result(name, idle.coresSince(idleFrom), idle.rss, ready, cores, peakRss, to.rss,
                    publisherCores, maxLate, stalls - stallsFrom, stalls, sentRealTime, publishing, playlists,
                    loadBefore, loadAfter, -1);
        }
    }

    /** CPU and RSS of a process and its descendants (nginx: master and worker; Estuary: one JVM), from /proc. */
    private record Sample(long wallNanos, long cpuNanos, long rss, int pids) {
        static Sample of(Process root) {
            long wall = System.nanoTime();
            long cpu = 0;
            long rss = 0;
            int n = 0;
            List<ProcessHandle> all = new ArrayList<>();
            all.add(root.toHandle());
            root.descendants().forEach(all::add);
            for (ProcessHandle p : all) {
                long c = ProcessProbe.procCpuNanos(p.pid());
                long r = ProcessProbe.procRssBytes(p.pid());
                if (c >= 0 && r >= 0) {
                    cpu += c;
                    rss += r;
                    n++;
                }
            }
            return new Sample(wall, cpu, rss, n);
        }

        double coresSince(Sample from) {
            return (cpuNanos - from.cpuNanos) / (double) (wallNanos - from.wallNanos);
        }
    }

    /** Polls every stream's playlist until it answers 200; returns how long after its connect each did (0: never). */
    private static long[] waitForPlaylists(HttpClient http, List<Publication> all, Function<String, String> url)
            throws Exception {
        long[] ready = new long[all.size()];
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int pending = all.size();
        while (pending > 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < all.size(); i++) {
                long connect = all.get(i).connectNanos();
                if (ready[i] == 0 && connect != 0 && status(http, url.apply(all.get(i).name())) == 200) {
                    ready[i] = System.nanoTime() - connect;
                    pending--;
                }
            }
            Thread.sleep(100);
        }
        return ready;
    }

    // ---------------------------------------------------------------- the report

    private static void printTable(List<Result> results, int streams, int seconds, FlvFile flv) {
        System.out.printf("%n== side by side: %d streams of 720p30 (%.0f kb/s media each), %d s window after a %d s"
                + " settle ==%n", streams, flv.bitrateBps() / 1000, seconds, SETTLE.toSeconds());
        String format = "%-52s" + " %-22s".repeat(results.size()) + "%n";
        row(format, "", results, Result::name);
        row(format, "streams publishing / playlists 200 at the end", results,
                r -> r.publishing + "/" + streams + " / " + r.playlistsAtEnd + "/" + streams);
        row(format, "server CPU, CPU-s/s (all streams)", results, r -> String.format("%.3f", r.cores));
        row(format, "  per stream, ms of CPU per second", results,
                r -> String.format("%.2f", r.cores / streams * 1000));
        row(format, "server CPU at rest, CPU-s/s", results, r -> String.format("%.3f", r.idleCores));
        row(format, "RSS idle (before publishing)", results, r -> ProcessProbe.mib(r.idleRss));
        row(format, "RSS loaded, end of window / peak", results,
                r -> ProcessProbe.mib(r.endRss) + " / " + ProcessProbe.mib(r.peakRss).replace(" MiB", ""));
        row(format, "  per stream, (peak - idle) / N", results,
                r -> ProcessProbe.mib((r.peakRss - r.idleRss) / streams));
        row(format, "live windows at the end (memory / files)", results, r -> r.windowBytes < 0 ? "?"
                : ProcessProbe.mib(r.windowBytes) + (r.name.equals("Estuary") ? " in RSS" : " on disk"));
        row(format, "connect -> first playlist 200, p50 / max", results, r -> {
            long[] ok = Arrays.stream(r.readyNanos).filter(n -> n > 0).sorted().toArray();
            return ok.length == 0 ? "-" : String.format("%.2f / %.2f s%s", ProcessProbe.percentileMs(ok, 50) / 1000,
                    ok[ok.length - 1] / 1e9, ok.length < streams ? " (" + ok.length + " ready)" : "");
        });
        row(format, "publisher: sent in window vs real time", results,
                r -> String.format("%.1f %%", r.sentRealTime * 100));
        row(format, "publisher: max late, stalls (window / whole run)", results,
                r -> r.maxLateMs + " ms, " + r.stallsInWindow + " / " + r.stalls);
        row(format, "publisher CPU, CPU-s/s (this JVM, not counted)", results,
                r -> String.format("%.3f", r.publisherCores));
        row(format, "load average (1 min) before / after", results,
                r -> String.format("%.2f / %.2f", r.loadBefore, r.loadAfter));
        System.out.println("CPU: utime+stime of /proc/PID/stat; RSS: VmRSS of /proc/PID/status (nginx: master, worker"
                + " and cache manager summed;\nthey share some pages, so the sum is an upper bound). The publisher is"
                + " the RTMP load publisher in the benchmark JVM, 2 threads.");
        System.out.println("Estuary packages LL-HLS: CMAF parts and segments in memory (in its RSS, with the JVM's"
                + " heap, code and Netty's pools).\nPlaylists of 20 s (10 x 2 s), /live/NAME/index.m3u8"
                + " (multivariant).");
        if (results.size() > 1) {
            System.out.println("nginx-rtmp writes 2 s MPEG-TS fragments and playlists to disk (in the page cache,"
                    + " outside its RSS), no LL-HLS parts;\nhls_playlist_length 20s, /hls/NAME.m3u8. Playlists"
                    + " polled every 100 ms on both.");
        }
    }

    private static void row(String format, String label, List<Result> results, Function<Result, String> cell) {
        Object[] cells = new Object[results.size() + 1];
        cells[0] = label;
        for (int i = 0; i < results.size(); i++) {
            cells[i + 1] = cell.apply(results.get(i));
        }
        System.out.printf(format, cells);
    }

    // ---------------------------------------------------------------- helpers

    /** Waits (bounded) for the one-minute load average to drop under {@link #QUIET_LOAD}, saying what it was. */
    private static void waitForQuiet() throws InterruptedException {
        double first = ProcessProbe.loadAverage();
        if (first <= QUIET_LOAD) {
            System.out.printf("load average %.2f: quiet enough%n", first);
            return;
        }
        System.out.printf("load average %.2f > %.1f: waiting up to %d s for the machine to quiet down%n", first,
                QUIET_LOAD, QUIET_WAIT_SECONDS);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(QUIET_WAIT_SECONDS);
        double now = first;
        while (now > QUIET_LOAD && System.nanoTime() < deadline) {
            Thread.sleep(5000);
            now = ProcessProbe.loadAverage();
        }
        System.out.printf("load average %.2f after %.0f s%s%n", now, (System.nanoTime() - start) / 1e9,
                now > QUIET_LOAD ? ": STILL BUSY, measuring anyway (other work shares the cores)" : "");
    }

    /** Waits until the server answers HTTP at {@code url} (any status), or fails with the tail of its log. */
    private static void awaitUp(HttpClient http, String url, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("exited with " + server.exitValue() + ":\n" + String.join("\n",
                        tail(Files.readString(log), 20)));
            }
            try {
                int status = status(http, url);
                if (!url.endsWith("/readyz") || status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " did not answer within 30 s; log " + log);
    }

    private static int status(HttpClient http, String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String getString(HttpClient http, String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }

    /** The sum of a Prometheus metric's samples whose line contains {@code label}. */
    private static double sum(String exposition, String name, String label) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** The command lines of a process and its descendants, as ps shows them ("nginx: worker process"). */
    private static String processNames(Process root) {
        List<String> names = new ArrayList<>();
        for (ProcessHandle p : Stream.concat(Stream.of(root.toHandle()), root.descendants()).toList()) {
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                String name = cmdline.replace('\0', ' ').strip();
                String program = name.split(" ")[0];
                names.add(name.startsWith("nginx: ") ? name.replaceFirst(" process.*", "")
                        : program.substring(program.lastIndexOf('/') + 1) + " (pid " + p.pid() + ")");
            } catch (IOException e) {
                // gone
            }
        }
        return names.size() + " process(es): " + String.join(", ", names);
    }

    private static String versionOf() {
        try {
            Process p = new ProcessBuilder(NginxRtmpPeer.NGINX.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(5, TimeUnit.SECONDS);
            return out.replace("nginx version: ", "") + " + " + NginxRtmpPeer.MODULE.getFileName();
        } catch (IOException | InterruptedException e) {
            return "nginx";
        }
    }

    private static List<String> tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
