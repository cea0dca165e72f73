package io.estuary.loadtests;

import io.estuary.loadtests.TranscodeBenchmark.ServerRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The final table of {@link TranscodeBenchmark}, and what its figures do and do not cover. */
final class TranscodeReport {
    private static final String ROW = "%-44s %9s %12s %9s %9s %8s %9s %7s%n";

    private TranscodeReport() {
    }

    static void print(FfmpegLadderPeer.Result peer, ServerRun off, ServerRun on, double raw, double net,
            List<ServerRun> capacity, int window, int capacityWindow) {
        String ladder = FfmpegLadderPeer.LADDER.stream().map(r -> r.name() + " " + r.width() + "x" + r.height() + " "
                + r.kbps() + "k").collect(Collectors.joining(", "));
        System.out.printf("%n== ABR transcoding of a 1280x720 30 fps grain clip: source passed through + %s;"
                + " libx264 veryfast/zerolatency/high, VBV = bitrate, IDRs at the source's keyframes; AAC-LC 48 kHz"
                + " stereo 128k ==%n", ladder);
        System.out.printf(ROW, "", "CPU-s/s", "CPU-s/cont-s", "speed", "lag max", "dropped", "real time", "others");
        System.out.printf(ROW, "ffmpeg " + peer.version() + " CLI (peer), 2 x " + window + " s", f(peer.cores()),
                f(peer.cpuPerContentSecond()), f(peer.speed()), "-", "-", "-", f2(peer.otherCores()));
        System.out.printf(ROW, "Estuary, transcoder off, 1 stream", f(off.cores()), f(off.cores()), "-", "-", "-",
                "-", f2(off.otherCores()));
        System.out.printf(ROW, "Estuary, transcoder on, 1 stream (raw)", f(on.cores()), f(raw), f(on.minSpeed()),
                f(on.maxLag()), on.dropped(), on.realtime() ? "yes" : "no", f2(on.otherCores()));
        System.out.printf(ROW, "Estuary, transcoder's own cost (on - off)", f(on.cores() - off.cores()), f(net), "",
                "", "", "", "");
        System.out.printf(ROW, "  ratio to the ffmpeg CLI (aim <= 1.10)", "", f(net / peer.cpuPerContentSecond()),
                "", "", "", "", "");
        for (ServerRun r : capacity) {
            System.out.printf(ROW, "capacity: " + r.streams() + " stream(s), " + Math.round(r.wallSeconds()) + " s",
                    f(r.cores()), f(r.cpuSeconds() / r.contentSeconds()), f(r.minSpeed()), f(r.maxLag()),
                    r.dropped(), r.realtime() ? "yes" : "no", f2(r.otherCores()));
        }
        System.out.println("""
                CPU: utime + stime of /proc/PID/stat over the window (the server's JVM: every thread, encoders, JIT, GC;
                ffmpeg: the one process). CPU-s/cont-s: per second of source content transcoded in the window (server:
                encoded-rung frames + drops over 30 fps, all streams; ffmpeg: its progress out_time; transcoder off: wall
                time). Net = on minus off x wall: what transcoding adds to ingest and packaging, including whatever the
                server does with the renditions and the new audio track (ffmpeg writes to -f null; the server's log
                above says what its segmenter packages). With the transcoder on, the window starts after the settle and
                once no stream sheds load: start-up drops count in dropped_total, not in the window. A shedding run
                counts its dropped frames as content too, so its CPU-s/cont-s understates what full work would cost.
                speed: the server's speed_ratio (content-s per second of its busiest thread's work; lowest scrape),
                ffmpeg's content-s per wall-s. lag max: highest estuary_transcoder_lag_seconds of the 1 s scrapes;
                dropped: dropped_frames_total over the window, all renditions. Real time: no drops and lag < max-lag
                (1 s) for every stream. The publisher (RTMP load publisher, this JVM) is not counted. libx264 builds
                differ: the server's comes with JavaCPP's FFmpeg, the peer's is the system's. others: cores the rest of
                the machine used meanwhile (/proc/stat busy less the measured process; this benchmark's publisher and
                scrapes included, ~0.05): well above that, other work competed and the row's figures are inflated.""");
        System.out.printf("windows: peer 2 x %d s (before and after the server), on/off %d s, capacity %d s"
                + " (N = 1 is the transcoder-on run)%n", window, window, capacityWindow);
    }

    static void printMetrics(ServerRun r) {
        r.windows().forEach((stream, w) -> System.out.printf(Locale.ROOT,
                "ABR_METRICS stream=%s speed_mean=%.2f speed_min=%.2f lag_max_s=%.3f shedding_max=%.0f"
                        + " dropped_window=%d dropped_total=%d fps %s%n", stream, w.meanSpeed(), w.minSpeed(),
                w.maxLag(), w.maxShedding(), w.droppedInWindow(), w.droppedTotal(), w.meanFps().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s=%.1f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(" "))));
    }

    static void printCapacity(ServerRun r) {
        System.out.printf(Locale.ROOT, "ABR_CAPACITY n=%d cores=%.3f speed_min=%.2f lag_max=%.3f dropped=%d"
                        + " streams_transcoding=%d/%d window_s=%.0f others_cores=%.2f loadavg=%.2f realtime=%s%n",
                r.streams(), r.cores(), r.minSpeed(), r.maxLag(), r.dropped(), r.windows().size(), r.streams(),
                r.wallSeconds(), r.otherCores(), r.loadAfter(),
                r.realtime() ? "yes" : "no");
        if (r.streams() > 1) {
            printMetrics(r);
        }
    }

    private static String f2(double v) {
        return Double.isNaN(v) ? "?" : String.format("%.2f", v);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "?" : String.format("%.3f", v);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
