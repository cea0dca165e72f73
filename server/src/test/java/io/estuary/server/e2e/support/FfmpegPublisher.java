package io.estuary.server.e2e.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg publishing a real-time lavfi test pattern (1280x720 at 30 fps, a 440 Hz sine at 48 kHz) as H.264 + AAC in
 * FLV over RTMP, the way an encoder in the field does. Its stderr goes to a log file under {@code target/}.
 */
public final class FfmpegPublisher implements AutoCloseable {

    /** The x264 settings under test: B-frames (composition offsets, OBS's default) or zero latency (no B-frames). */
    public enum Profile {
        BFRAMES("-bf", "2"),
        ZEROLATENCY("-tune", "zerolatency");

        private final List<String> x264Args;

        Profile(String... x264Args) {
            this.x264Args = List.of(x264Args);
        }

        public List<String> x264Args() {
            return x264Args;
        }
    }

    private final Process process;
    private final Path log;
    private final String url;

    private FfmpegPublisher(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    public static FfmpegPublisher start(String rtmpUrl, Profile profile, Path log) {
        return start(rtmpUrl, profile, log, "1280x720");
    }

    public static FfmpegPublisher start(String rtmpUrl, Profile profile, Path log, String size) {
        Processes.requireExecutable("/usr/bin/ffmpeg", "ffmpeg");
        ProcessBuilder builder = new ProcessBuilder(command(rtmpUrl, profile, size))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        try {
            return new FfmpegPublisher(builder.start(), log, rtmpUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ffmpeg", e);
        }
    }

    /**
     * Publishes a prepared clip without encoding it (copy, looped, at its own pace): a source that costs this
     * machine no encoder while the server transcodes it.
     */
    public static FfmpegPublisher startCopy(String rtmpUrl, Path clip, Path log) {
        Processes.requireExecutable("/usr/bin/ffmpeg", "ffmpeg");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/ffmpeg", "-hide_banner", "-nostats", "-loglevel",
                "level+info", "-re", "-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-f", "flv", rtmpUrl)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        try {
            return new FfmpegPublisher(builder.start(), log, rtmpUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ffmpeg", e);
        }
    }

    static List<String> command(String rtmpUrl, Profile profile, String size) {
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/ffmpeg", "-hide_banner", "-nostats", "-loglevel", "level+info",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-c:v", "libx264", "-preset", "veryfast"));
        cmd.addAll(profile.x264Args());
        cmd.addAll(List.of(
                "-g", "60", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k",
                "-f", "flv", rtmpUrl));
        return cmd;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String url() {
        return url;
    }

    /** Asks ffmpeg to finish ('q' on stdin, which flushes and closes the RTMP session cleanly), then destroys it. */
    public void stop() {
        if (process.isAlive()) {
            try {
                OutputStream stdin = process.getOutputStream();
                stdin.write("q".getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                stdin.close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    Processes.killTree(process, Duration.ofSeconds(3));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Processes.killTree(process, Duration.ZERO);
            }
        }
    }

    /** Exit code once stopped, or -1 while running. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ffmpeg -> " + url + " (log " + log + ")";
    }
}
