package io.estuary.loadtests.rtmp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The clip the load publishers replay: 10 s of 1280x720 30 fps H.264 (2.5 Mb/s, a keyframe every 2 s) and 48 kHz
 * AAC, what a typical OBS stream looks like. Encoded once with ffmpeg and cached, so that a load run spends no CPU on
 * encoding.
 */
public final class SampleFlv {
    public static final String FILE_NAME = "load-720p30-2500k-aac.flv";

    private SampleFlv() {
    }

    /** Returns {@code dir/FILE_NAME}, encoding it first when it is not there yet. */
    public static Path ensure(Path dir) throws IOException, InterruptedException {
        return cached(dir, FILE_NAME, 120, List.of(
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "10",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
                "-b:v", "2500k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-f", "flv"));
    }

    /**
     * Returns {@code dir/fileName}, made first by {@code ffmpeg <ffmpegArgs> <file>} when it is not there yet. The
     * encode goes beside the target and is renamed, so an interrupted run never leaves a truncated file to be reused.
     */
    public static Path cached(Path dir, String fileName, int timeoutSeconds, List<String> ffmpegArgs)
            throws IOException, InterruptedException {
        Path target = dir.resolve(fileName);
        if (Files.isRegularFile(target) && Files.size(target) > 0) {
            return target;
        }
        Files.createDirectories(dir);
        Path partial = dir.resolve(fileName + ".partial");
        Path log = dir.resolve(fileName + ".log");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        cmd.addAll(ffmpegArgs);
        cmd.add(partial.toString());
        Process ffmpeg = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!ffmpeg.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            ffmpeg.destroyForcibly();
            throw new IOException("ffmpeg did not encode " + target + " within " + timeoutSeconds + " s (log: " + log
                    + ")");
        }
        if (ffmpeg.exitValue() != 0) {
            throw new IOException("ffmpeg failed with " + ffmpeg.exitValue() + ": " + Files.readString(log));
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
