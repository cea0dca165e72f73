package io.estuary.loadtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer of the ABR benchmark: the ffmpeg command line transcoding the server's default ladder from the same clip,
 * in one process, at real-time pace: one decode, {@code split} and one {@code scale} per rung (bicubic, ffmpeg's
 * default), four libx264 encodes with the server's settings and the audio encoded once to AAC-LC 48 kHz stereo, all
 * into one {@code null} output (nothing written: the server's packaging has no counterpart here). The input loops
 * ({@code -stream_loop -1 -re}) so that the process is measured over a window after a settle, as the server is;
 * content time comes from ffmpeg's own progress report ({@code out_time_us}), so a peer that cannot keep up is
 * charged per content-second it did transcode, not per second of wall time.
 */
final class FfmpegLadderPeer {
    /** An encoded rung of the server's default ladder for a 1280x720 source (the source rung is passed through). */
    record Rung(String name, int width, int height, int kbps) {
    }

    static final List<Rung> LADDER = List.of(new Rung("720p", 1280, 720, 2800), new Rung("480p", 854, 480, 1400),
            new Rung("360p", 640, 360, 800), new Rung("240p", 426, 240, 400));

    /**
     * What the peer did over the window; {@code otherCores}: what the rest of the machine used meanwhile (busy cores
     * less ffmpeg's), {@code stealCores}: what the hypervisor took.
     */
    record Result(double cpuSeconds, double wallSeconds, double contentSeconds, double otherCores, double stealCores,
            String version) {
        double cores() {
            return cpuSeconds / wallSeconds;
        }

        double cpuPerContentSecond() {
            return cpuSeconds / contentSeconds;
        }

        double speed() {
            return contentSeconds / wallSeconds;
        }

        /** Two windows as one: CPU, wall and content time added up. */
        Result plus(Result other) {
            double wall = wallSeconds + other.wallSeconds;
            return new Result(cpuSeconds + other.cpuSeconds, wall, contentSeconds + other.contentSeconds,
                    (otherCores * wallSeconds + other.otherCores * other.wallSeconds) / wall,
                    (stealCores * wallSeconds + other.stealCores * other.wallSeconds) / wall, version);
        }
    }

    private FfmpegLadderPeer() {
    }

    /** The command line, as run (and as printed, so that it can be run by hand). */
    static List<String> command(Path clip) {
        StringBuilder graph = new StringBuilder("[0:v]split=" + LADDER.size());
        for (int i = 0; i < LADDER.size(); i++) {
            graph.append(scaled(i) ? "[s" + i + "]" : "[v" + i + "]");
        }
        for (int i = 0; i < LADDER.size(); i++) {
            if (scaled(i)) {
                Rung r = LADDER.get(i);
                graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
                        .append("[v").append(i).append(']');
            }
        }
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                "-nostats", "-progress", "pipe:1", "-stats_period", "1",
                // The server's decoder uses slice threads only (frame threads would add latency).
                "-re", "-stream_loop", "-1", "-thread_type", "slice", "-i", clip.toString(),
                "-filter_complex", graph.toString()));
        for (int i = 0; i < LADDER.size(); i++) {
            cmd.addAll(List.of("-map", "[v" + i + "]"));
        }
        cmd.addAll(List.of("-map", "0:a",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high",
                // Keyframes only where the source has them, as IDRs; x264's own GOP limit out of the way.
                "-g", "1800", "-sc_threshold", "0", "-bf", "0", "-forced-idr", "1", "-force_key_frames", "source"));
        for (int i = 0; i < LADDER.size(); i++) {
            String rate = LADDER.get(i).kbps() + "k";
            cmd.addAll(List.of("-b:v:" + i, rate, "-maxrate:v:" + i, rate, "-bufsize:v:" + i, rate));
        }
        cmd.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2", "-f", "null", "-"));
        return cmd;
    }

    /** The 720p rung of a 720p source is not scaled, by the server (same size) nor here. */
    private static boolean scaled(int rung) {
        Rung r = LADDER.get(rung);
        return r.width() != AbrClip.WIDTH || r.height() != AbrClip.HEIGHT;
    }

    /**
     * Runs the peer for {@code settle + window} seconds and measures it over the window: CPU from /proc, read as each
     * progress report arrives, so that CPU, wall time and content time of a window all come from the same instants.
     */
    static Result run(Path clip, Path log, int settleSeconds, int windowSeconds) throws Exception {
        Process ffmpeg = new ProcessBuilder(command(clip)).redirectError(log.toFile()).start();
        EstuaryServerProcess.track(ffmpeg);
        Progress progress = new Progress(ffmpeg);
        long start = System.nanoTime();
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds + windowSeconds) + 500);
            if (!ffmpeg.isAlive()) {
                throw new IllegalStateException("ffmpeg exited with " + ffmpeg.exitValue() + " (log " + log + ")");
            }
            List<Sample> samples = progress.samples();
            long from = start + TimeUnit.SECONDS.toNanos(settleSeconds);
            Sample first = samples.stream().filter(s -> s.wallNanos >= from && s.cpuNanos >= 0).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no progress from ffmpeg (log " + log + ")"));
            Sample last = samples.get(samples.size() - 1);
            if (last == first) {
                throw new IllegalStateException("one progress report in the window (log " + log + ")");
            }
            double cpu = (last.cpuNanos - first.cpuNanos) / 1e9;
            double wall = (last.wallNanos - first.wallNanos) / 1e9;
            return new Result(cpu, wall, (last.outTimeMicros - first.outTimeMicros) / 1e6,
                    last.machine.busyCoresSince(first.machine) - cpu / wall, last.machine.stealCoresSince(first.machine),
                    version());
        } finally {
            ffmpeg.destroy(); // SIGTERM: ffmpeg flushes and exits
            if (!ffmpeg.waitFor(10, TimeUnit.SECONDS)) {
                ffmpeg.destroyForcibly();
            }
        }
    }

    private record Sample(long wallNanos, long outTimeMicros, long cpuNanos, MachineCpu machine) {
    }

    /**
     * Reads ffmpeg's {@code -progress} report (key=value lines, a block a second, ending with {@code progress=}) and
     * samples the process's CPU as each block ends.
     */
    private static final class Progress {
        private final List<Sample> samples = new ArrayList<>();

        Progress(Process ffmpeg) {
            Thread reader = new Thread(() -> {
                long outTime = -1;
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(ffmpeg.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("out_time_us=") && !line.endsWith("N/A")) {
                            outTime = Long.parseLong(line.substring("out_time_us=".length()).strip());
                        } else if (line.startsWith("progress=") && outTime >= 0) {
                            add(new Sample(System.nanoTime(), outTime, ProcessProbe.procCpuNanos(ffmpeg.pid()),
                                    MachineCpu.now()));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // the process ended, or a line we do not read
                }
            }, "ffmpeg-progress");
            reader.setDaemon(true);
            reader.start();
        }

        private synchronized void add(Sample s) {
            samples.add(s);
        }

        synchronized List<Sample> samples() {
            return List.copyOf(samples);
        }
    }

    /** "5.1.9-0+deb12u1" from {@code ffmpeg -version}, or "?" . */
    static String version() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            p.waitFor(5, TimeUnit.SECONDS);
            String[] words = first.split(" ");
            return words.length > 2 ? words[2] : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
