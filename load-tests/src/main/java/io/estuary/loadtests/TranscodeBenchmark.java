package io.estuary.loadtests;

import io.estuary.loadtests.TranscoderScrape.StreamWindow;
import io.estuary.loadtests.rtmp.FlvFile;
import io.estuary.loadtests.rtmp.Publication;
import io.estuary.loadtests.rtmp.RtmpLoad;
import io.estuary.loadtests.rtmp.RtmpLoadPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What ABR transcoding costs, against the ffmpeg command line doing the same ladder, and how many 720p30 sources
 * this machine transcodes in real time. The same grainy 720p30 clip ({@link AbrClip}) goes through (1) ffmpeg, one
 * process, the server's ladder and encoder settings ({@link FfmpegLadderPeer}), once before and once after (2), so
 * that drift of the machine over the run shows; (2) Estuary as its own JVM with the transcoder off, then on, one
 * stream published in real time from this JVM by the RTMP load publisher, each server measured from /proc over a
 * window after a settle: the difference is the transcoder's own cost; (3) Estuary with N = 2, 3, ... streams, a fresh
 * server each, until one N is not real time (frames dropped, or lag above max-lag) or N reaches the limit. Step (3)
 * for N = 1 is the transcoder-on run of (2).
 * Usage: {@code TranscodeBenchmark [window-seconds=25] [capacity-window-seconds=20] [max-streams=4]}.
 * Prints figures ({@code ABR_*} lines and a table), asserts nothing.
 */
public final class TranscodeBenchmark {
    private static final int SETTLE_SECONDS = 10; // x264's start-up, and the server's JIT on the new paths
    private static final int PEER_SETTLE_SECONDS = 5;
    private static final Duration START_SPREAD = Duration.ofSeconds(2); // one GOP of the clip
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(40);
    /**
     * After the settle, how long to wait for every stream's shedding level to be back at 0: a stream that fell behind
     * while its encoders opened sheds until it has been calm for 5 s, and those start-up drops are not steady state.
     */
    private static final Duration SHED_WAIT = Duration.ofSeconds(15);
    private static final double MAX_LAG_SECONDS = 1.0; // estuary.transcoder.max-lag, default
    private static final String PASSTHROUGH = "source";
    private static final String APP = "live";
    private static final String PREFIX = "bench";
    private static final double QUIET_LOAD = 1.5;
    private static final int QUIET_WAIT_SECONDS = Integer.getInteger("abr.quietWaitSeconds", 30);

    private TranscodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int window = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        int capacityWindow = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int maxStreams = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        System.out.printf("ABR_LOAD start loadavg=%s cores=%d%n", loadAverages(), Runtime.getRuntime()
                .availableProcessors());
        waitForQuiet();
        Path cache = Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "target") : Path.of("target");
        Path clip = AbrClip.ensure(cache);
        FlvFile flv = FlvFile.read(clip);
        System.out.printf("ABR_CLIP file=%s %dx%d %dfps loop_s=%.1f media_kbps=%.0f keyframes=%d audio=aac-44100-mono"
                        + "-96k%n", clip, AbrClip.WIDTH, AbrClip.HEIGHT, AbrClip.FPS, flv.loopDurationMs() / 1000.0,
                flv.bitrateBps() / 1000, AbrClip.keyframes(clip));
        Path work = Files.createTempDirectory("abr-bench-");
        boolean done = false;
        try {
            System.out.println("\n== peer: " + String.join(" ", FfmpegLadderPeer.command(clip)));
            FfmpegLadderPeer.Result before = runPeer(clip, work, 1, window);
            ServerRun off = runServer(work, flv, false, 1, window);
            ServerRun on = runServer(work, flv, true, 1, window);
            // The peer again, after the server: run-to-run drift on a shared machine (CPU-s for the same work moved
            // by 15 % between runs here) shows as the gap between the two, and the server is compared with both.
            FfmpegLadderPeer.Result after = runPeer(clip, work, 2, window);
            FfmpegLadderPeer.Result peer = before.plus(after);
            System.out.printf("ABR_PEER ffmpeg cpu_s_per_content_s=%.3f (both runs; %.3f before the server, %.3f"
                            + " after) speed=%.3f%n", peer.cpuPerContentSecond(), before.cpuPerContentSecond(),
                    after.cpuPerContentSecond(), peer.speed());
            double raw = on.cpuSeconds / on.contentSeconds();
            double net = (on.cpuSeconds - off.cores() * on.wallSeconds) / on.contentSeconds();
            System.out.printf("ABR_OFF estuary transcoder=off cores=%.3f wall_s=%.1f others_cores=%.2f loadavg=%.2f%n",
                    off.cores(), off.wallSeconds, off.otherCores, off.loadAfter);
            System.out.printf("ABR_ESTUARY raw=%.3f net=%.3f ratio=%.3f (CPU-s per content-s; ratio = net / ffmpeg)"
                            + " cores_on=%.3f cores_off=%.3f content_s=%.1f wall_s=%.1f others_cores=%.2f loadavg=%.2f%n",
                    raw, net, net / peer.cpuPerContentSecond(), on.cores(), off.cores(), on.contentSeconds(),
                    on.wallSeconds, on.otherCores, on.loadAfter);
            TranscodeReport.printMetrics(on);

            List<ServerRun> capacity = new ArrayList<>(List.of(on));
            TranscodeReport.printCapacity(on);
            for (int n = 2; n <= maxStreams && capacity.get(capacity.size() - 1).realtime(); n++) {
                ServerRun r = runServer(work, flv, true, n, capacityWindow);
                capacity.add(r);
                TranscodeReport.printCapacity(r);
            }
            int realtime = capacity.stream().filter(ServerRun::realtime).mapToInt(r -> r.streams).max().orElse(0);
            boolean limited = capacity.get(capacity.size() - 1).realtime();
            System.out.printf("ABR_CAPACITY_RESULT realtime_streams=%d%s (720p30 sources, default ladder)%n", realtime,
                    limited ? " (every N tried was real time: at least this many)" : "");
            System.out.printf("ABR_LOAD end loadavg=%s%n", loadAverages());
            TranscodeReport.print(peer, off, on, raw, net, capacity, window, capacityWindow);
            done = true;
        } finally {
            if (done) {
                TranscodeReport.deleteTree(work);
            } else {
                System.out.println("logs kept in " + work);
            }
        }
    }

    private static FfmpegLadderPeer.Result runPeer(Path clip, Path work, int run, int window) throws Exception {
        FfmpegLadderPeer.Result r = FfmpegLadderPeer.run(clip, work.resolve("ffmpeg-" + run + ".log"),
                PEER_SETTLE_SECONDS, window);
        System.out.printf("ABR_PEER run=%d ffmpeg cpu_s_per_content_s=%.3f cores=%.3f content_s=%.1f wall_s=%.1f"
                        + " speed=%.3f version=%s others_cores=%.2f steal_cores=%.2f loadavg=%.2f%n", run,
                r.cpuPerContentSecond(), r.cores(), r.contentSeconds(), r.wallSeconds(), r.speed(), r.version(),
                r.otherCores(), r.stealCores(), ProcessProbe.loadAverage());
        return r;
    }

    /** What one server did over its window; per stream keyed "app/name". */
    record ServerRun(boolean transcoding, int streams, double wallSeconds, double cpuSeconds, double otherCores,
            double stealCores, double loadBefore, double loadAfter, Map<String, StreamWindow> windows, int publishing,
            long publisherMaxLateMs) {
        double cores() {
            return cpuSeconds / wallSeconds;
        }

        /** Source content transcoded in the window, all streams; wall time x streams where there is nothing to count. */
        double contentSeconds() {
            double counted = windows.values().stream().mapToDouble(w -> w.contentSeconds(PASSTHROUGH, AbrClip.FPS))
                    .sum();
            return counted > 0 ? counted : wallSeconds * streams;
        }

        double minSpeed() {
            return windows.values().stream().mapToDouble(StreamWindow::minSpeed).min().orElse(Double.NaN);
        }

        double maxLag() {
            return windows.values().stream().mapToDouble(StreamWindow::maxLag).max().orElse(Double.NaN);
        }

        long dropped() {
            return windows.values().stream().mapToLong(StreamWindow::droppedInWindow).sum();
        }

        /** Every stream transcoded, nothing dropped in the window, lag always under max-lag. */
        boolean realtime() {
            return transcoding && windows.size() == streams && publishing == streams && dropped() == 0
                    && windows.values().stream().allMatch(w -> w.samples() > 0 && w.maxLag() < MAX_LAG_SECONDS);
        }
    }

    private static ServerRun runServer(Path work, FlvFile flv, boolean transcoding, int streams, int window)
            throws Exception {
        String label = "transcoder " + (transcoding ? "on" : "off") + ", " + streams + " stream(s)";
        System.out.printf("%n== Estuary (java %s, separate process), %s, %d s window after a %d s settle ==%n",
                EstuaryServerProcess.jvmOptions(), label, window, SETTLE_SECONDS);
        Path log = work.resolve("estuary-" + (transcoding ? "on" : "off") + "-" + streams + ".log");
        try (EstuaryServerProcess server = EstuaryServerProcess.start(log,
                List.of("estuary.transcoder.enabled=" + transcoding));
                RtmpLoadPublisher load = new RtmpLoadPublisher(flv, 2, Duration.ofSeconds(15))) {
            List<Publication> all = RtmpLoad.startAll(load, "127.0.0.1", server.rtmpPort(), APP, PREFIX, streams,
                    START_SPREAD);
            awaitStreams(server, all, transcoding);
            Thread.sleep(TimeUnit.SECONDS.toMillis(SETTLE_SECONDS));
            if (transcoding) {
                awaitNoShedding(server);
            }
            double loadBefore = ProcessProbe.loadAverage();
            Map<String, StreamWindow> windows = new TreeMap<>();
            TranscoderScrape.parse(server.metrics()).streams().forEach((k, s) -> windows.put(k, new StreamWindow(s)));
            MachineCpu machineFrom = MachineCpu.now();
            long cpuFrom = server.cpuNanos();
            long[] ticksFrom = server.userSystemTicks();
            long wallFrom = System.nanoTime();
            for (int s = 1; s <= window; s++) {
                long wake = wallFrom + TimeUnit.SECONDS.toNanos(s) - System.nanoTime();
                if (wake > 0) {
                    TimeUnit.NANOSECONDS.sleep(wake);
                }
                TranscoderScrape.parse(server.metrics()).streams()
                        .forEach((k, st) -> windows.computeIfAbsent(k, x -> new StreamWindow(st)).add(st));
            }
            long cpuTo = server.cpuNanos();
            long[] ticksTo = server.userSystemTicks();
            MachineCpu machineTo = MachineCpu.now();
            long wallTo = System.nanoTime();
            if (cpuFrom < 0 || cpuTo < 0 || !server.isAlive()) {
                throw new IllegalStateException("the server exited during the window:\n" + server.logTail(20));
            }
            int publishing = (int) all.stream().filter(Publication::isActive).count();
            long late = all.stream().mapToLong(Publication::maxLateMs).max().orElse(0);
            double wall = (wallTo - wallFrom) / 1e9;
            double cpu = (cpuTo - cpuFrom) / 1e9;
            ServerRun r = new ServerRun(transcoding, streams, wall, cpu, machineTo.busyCoresSince(machineFrom) - cpu / wall,
                    machineTo.stealCoresSince(machineFrom), loadBefore, ProcessProbe.loadAverage(), windows, publishing,
                    late);
            System.out.printf("%.1f s: %.3f CPU-s/s (%.0f %% in the kernel), the rest of the machine %.2f cores"
                            + " (steal %.2f), RSS %s; %s; load average %.2f -> %.2f%n", r.wallSeconds, r.cores(), 100.0 * (ticksTo[1] - ticksFrom[1])
                            / Math.max(1, ticksTo[0] - ticksFrom[0] + ticksTo[1] - ticksFrom[1]), r.otherCores, r.stealCores,
                    ProcessProbe.mib(server.rssBytes()), RtmpLoad.summary(all), loadBefore, r.loadAfter);
            String warnings = server.logTail(5);
            if (!warnings.isBlank()) {
                System.out.println("server log (last lines):\n  " + warnings.replace("\n", "\n  "));
            }
            return r;
        }
    }

    /** Until every stream is transcoded (a rendition has put out frames) or packaged (its playlist answers). */
    private static void awaitStreams(EstuaryServerProcess server, List<Publication> all, boolean transcoding)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + READY_TIMEOUT.toNanos();
        int ready = 0;
        while (System.nanoTime() < deadline) {
            ready = 0;
            if (transcoding) {
                Map<String, TranscoderScrape.StreamState> streams = TranscoderScrape.parse(server.metrics()).streams();
                for (Publication p : all) {
                    TranscoderScrape.StreamState s = streams.get(APP + "/" + p.name());
                    ready += s != null && s.frames().entrySet().stream()
                            .anyMatch(e -> !e.getKey().equals(PASSTHROUGH) && e.getValue() > 0) ? 1 : 0;
                }
            } else {
                for (Publication p : all) {
                    ready += server.status("/" + APP + "/" + p.name() + "/index.m3u8") == 200 ? 1 : 0;
                }
            }
            if (ready == all.size()) {
                System.out.printf("%d/%d streams %s after %.1f s%n", ready, all.size(),
                        transcoding ? "transcoding" : "packaged", (System.nanoTime() - start) / 1e9);
                return;
            }
            Thread.sleep(250);
        }
        if (ready == 0) {
            throw new IllegalStateException("no stream " + (transcoding ? "transcoded" : "packaged") + " within "
                    + READY_TIMEOUT.toSeconds() + " s: " + RtmpLoad.summary(all) + "\n" + server.logTail(20));
        }
        System.out.printf("ONLY %d/%d streams %s after %d s; measuring anyway%n", ready, all.size(),
                transcoding ? "transcoding" : "packaged", READY_TIMEOUT.toSeconds());
    }

    private static void awaitNoShedding(EstuaryServerProcess server) throws Exception {
        long start = System.nanoTime();
        long deadline = start + SHED_WAIT.toNanos();
        TranscoderScrape scrape = TranscoderScrape.parse(server.metrics());
        while (shedding(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            scrape = TranscoderScrape.parse(server.metrics());
        }
        long droppedBefore = Math.round(scrape.streams().values().stream()
                .flatMap(s -> s.dropped().values().stream()).mapToDouble(d -> d).sum());
        System.out.printf("before the window: %d frames dropped so far; %s%n", droppedBefore, shedding(scrape)
                ? "STILL SHEDDING after waiting " + SHED_WAIT.toSeconds() + " s more: measuring anyway"
                : String.format("no stream shedding (waited %.1f s more for it)", (System.nanoTime() - start) / 1e9));
    }

    private static boolean shedding(TranscoderScrape scrape) {
        return scrape.streams().values().stream().anyMatch(s -> s.shedding() > 0);
    }

    /** Waits (bounded) for the one-minute load average to drop under {@link #QUIET_LOAD}, saying what it was. */
    private static void waitForQuiet() throws InterruptedException {
        double now = ProcessProbe.loadAverage();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUIET_WAIT_SECONDS);
        while (now > QUIET_LOAD && System.nanoTime() < deadline) {
            Thread.sleep(5000);
            now = ProcessProbe.loadAverage();
        }
        System.out.printf("load average %.2f%s%n", now, now > QUIET_LOAD
                ? " after waiting " + QUIET_WAIT_SECONDS + " s: STILL BUSY, measuring anyway (other work shares the"
                        + " cores and inflates CPU-s and lag)" : ": quiet enough");
    }

    private static String loadAverages() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "," + f[1] + "," + f[2];
        } catch (java.io.IOException e) {
            return String.format(Locale.ROOT, "%.2f", ProcessProbe.loadAverage());
        }
    }
}
