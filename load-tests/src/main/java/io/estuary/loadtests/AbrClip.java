package io.estuary.loadtests;

import io.estuary.loadtests.rtmp.SampleFlv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The source of the ABR benchmark: 30 s of 1280x720 30 fps H.264 with camera-like grain (temporal noise over
 * testsrc2), so that every encoder of the ladder has real work to do (the load clip, {@code SampleFlv}, is flat
 * synthetic pictures that x264 encodes almost for free), and a 440 Hz tone as AAC 44.1 kHz mono, which the audio
 * path has to resample and upmix as it would a typical broadcaster's. B-frames and a keyframe every 2 s, as OBS
 * and ffmpeg send by default. Encoded once with ffmpeg into the cache directory.
 */
final class AbrClip {
    static final String FILE_NAME = "abr-720p30-grain-5000k-aac44k.flv";
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;
    static final int FPS = 30;
    static final int SECONDS = 30;

    private AbrClip() {
    }

    /** Returns {@code dir/FILE_NAME}, encoding it first when it is not there yet (about 20 s on 2 cores). */
    static Path ensure(Path dir) throws IOException, InterruptedException {
        return SampleFlv.cached(dir, FILE_NAME, 180, List.of(
                "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS + ",noise=alls=12:allf=t",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", Integer.toString(SECONDS),
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "60",
                "-b:v", "5M", "-maxrate", "5M", "-bufsize", "5M", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-ar", "44100", "-ac", "1", "-f", "flv"));
    }

    /** How many video keyframes the clip has (x264 may add scene cuts to the 2 s GOP), from ffprobe; -1 if unknown. */
    static int keyframes(Path clip) {
        try {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
                    "-show_entries", "frame=key_frame", "-of", "csv=p=0", clip.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0
                    ? (int) out.lines().filter(l -> l.strip().startsWith("1")).count() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
