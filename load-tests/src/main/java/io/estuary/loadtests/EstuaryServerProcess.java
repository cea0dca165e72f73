package io.estuary.loadtests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Estuary as its own JVM ({@code java -Xmx1g -cp <this classpath> io.estuary.server.Main}) on free loopback ports,
 * logging at WARN into a file, with glibc's malloc set as {@code bin/run} sets it, measured from the outside like any other process: CPU from /proc, state from
 * {@code /metrics}. Every process a benchmark starts through here (or {@link #track}s) is killed by a shutdown hook
 * should the run be interrupted, so that a timed-out benchmark leaves nothing running. Public for the benchmarks
 * of sub-packages ({@code whip}).
 */
public final class EstuaryServerProcess implements AutoCloseable {
    /** Options of the server's JVM: -Dabr.estuaryJvm=..., or ESTUARY_BENCH_JVM in the environment. */
    private static final String JVM = System.getProperty("abr.estuaryJvm",
            Objects.requireNonNullElse(System.getenv("ESTUARY_BENCH_JVM"), "-Xmx1g"));
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(30);
    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "stop-started-processes"));
    }

    private final Process process;
    private final Path log;
    private final int rtmpPort;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private EstuaryServerProcess(Process process, Path log, int rtmpPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.rtmpPort = rtmpPort;
        this.base = "http://127.0.0.1:" + httpPort;
    }

    /** Kills {@code p} on exit too (a benchmark cut short by its timeout). */
    static void track(Process p) {
        STARTED.add(p);
    }

    /** The JVM options the server runs with, for the report. */
    static String jvmOptions() {
        return JVM;
    }

    /**
     * Starts the server with {@code properties} (e.g. {@code estuary.transcoder.enabled=false}) and waits until
     * {@code /readyz} answers 200.
     */
    public static EstuaryServerProcess start(Path log, List<String> properties) throws Exception {
        int httpPort = freePort();
        int rtmpPort = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(JVM.trim().split("\\s+")));
        cmd.addAll(List.of("-Destuary.http.host=127.0.0.1", "-Destuary.http.port=" + httpPort,
                "-Destuary.rtmp.port=" + rtmpPort, "-Destuary.whip.udp-port=0"));
        properties.forEach(p -> cmd.add("-D" + p));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.estuary.server.Main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ESTUARY_LOG_LEVEL", "WARN");
        // glibc malloc as bin/run sets it (unless the environment says otherwise): it changes how frame buffers are
        // freed (mmapped above the threshold), so it is part of what the transcoder costs in CPU and RSS.
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        pb.environment().putIfAbsent("MALLOC_MMAP_THRESHOLD_", "262144");
        Process process = pb.start();
        track(process);
        EstuaryServerProcess server = new EstuaryServerProcess(process, log, rtmpPort, httpPort);
        try {
            server.awaitReady();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + logTail(20));
            }
            try {
                if (status("/readyz") == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("/readyz did not answer 200 within " + UP_TIMEOUT.toSeconds() + " s; log "
                + log);
    }

    /** {@code http://127.0.0.1:PORT}, the server's HTTP root. */
    public String baseUrl() {
        return base;
    }

    public int rtmpPort() {
        return rtmpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** utime + stime of the server's JVM so far (all its threads: event loops, transcoder, encoder threads, JIT, GC). */
    public long cpuNanos() {
        return ProcessProbe.procCpuNanos(process.pid());
    }

    /** {utime, stime} in clock ticks (fields 14 and 15 of /proc/PID/stat); stime is page faults, mmap, futexes, I/O. */
    long[] userSystemTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    public long rssBytes() {
        return ProcessProbe.procRssBytes(process.pid());
    }

    int status(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The Prometheus text of {@code /metrics}; empty when it does not answer 200. */
    public String metrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }

    /** The last lines the server logged (WARN and above, and anything on stdout or stderr). */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readString(log).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    Path log() {
        return log;
    }

    /** SIGTERM (the server's shutdown hook closes it), then a kill after 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        STARTED.remove(process);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
