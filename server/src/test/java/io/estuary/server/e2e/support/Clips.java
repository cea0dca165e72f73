package io.estuary.server.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Source clips encoded once per build into {@code target/clips/} and published with {@link FfmpegPublisher#startCopy}. */
public final class Clips {

    private Clips() {
    }

    /**
     * 10 s of 1280x720 at 30 fps like a camera sends it: testsrc2 with film grain (so encoders have real work and
     * rungs can reach their bit rates), x264 with B-frames and a 2 s GOP at 5 Mbit/s; a 440 Hz tone as AAC at
     * 44.1 kHz mono, so the transcoder's resampling and upmix are on the path.
     */
    public static Path camera720p30() {
        Path clip = Processes.targetDir("clips").resolve("camera-720p30.flv");
        if (Files.exists(clip)) {
            return clip;
        }
        Processes.requireExecutable("/usr/bin/ffmpeg", "ffmpeg");
        Path partial = clip.resolveSibling("camera-720p30.partial.flv");
        Path log = clip.resolveSibling("camera-720p30.log");
        List<String> cmd = List.of("/usr/bin/ffmpeg", "-y", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30,noise=alls=5:allf=t",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "10", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "60",
                "-b:v", "5M", "-maxrate", "5M", "-bufsize", "5M", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-ac", "1", "-f", "flv", partial.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            if (!p.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                Processes.killTree(p, Duration.ZERO);
                throw new AssertionError("ffmpeg could not make the clip, see " + log);
            }
            Files.move(partial, clip, StandardCopyOption.ATOMIC_MOVE);
            return clip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
