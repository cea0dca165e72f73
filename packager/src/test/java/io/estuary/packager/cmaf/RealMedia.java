package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.drm.StreamProtection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real media for end-to-end tests: ffmpeg makes it, the segmenter packages it, ffmpeg and ffprobe read it back. */
final class RealMedia {

    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    /** What a command said: its exit code, standard output and standard error. */
    record Output(int exitCode, String stdout, String stderr) {
    }

    private RealMedia() {
    }

    static boolean available() {
        return Files.isExecutable(FFMPEG) && Files.isExecutable(FFPROBE);
    }

    /** 6 s of H.264 (with B-frames, a keyframe a second) and AAC, as FLV, read as ingest would. */
    static FlvReader makeFlv(Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve("in.flv");
        run(FFMPEG.toString(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ac", "2", "-f", "flv", src.toString());
        return FlvReader.read(Files.readAllBytes(src));
    }

    /** Runs the frames through a segmenter with a fixed clock; {@code protection} may be null (clear). */
    static RecordingListener segment(FlvReader flv, StreamProtection protection) {
        RecordingListener listener = new RecordingListener();
        Segmenter segmenter = new Segmenter(PackagerConfig.defaults(), listener, () -> 1_700_000_000_000L,
                protection);
        segmenter.onTracks(List.of(TrackInfo.video(1, flv.avc), TrackInfo.audio(2, flv.aac)));
        for (MediaFrame f : flv.frames) {
            segmenter.onFrame(f);
        }
        segmenter.onEnd();
        return listener;
    }

    /** A track's init segment followed by the given parts (all of them when none are given), as a file. */
    static Path write(Path file, RecordingListener listener, String track, int... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(listener.starts.stream().filter(s -> s.track().name().equals(track)).findFirst().orElseThrow()
                .init());
        List<CmafPart> all = listener.parts(track);
        if (parts.length == 0) {
            for (CmafPart p : all) {
                out.write(p.bytes());
            }
        }
        for (int i : parts) {
            out.write(all.get(i).bytes());
        }
        return Files.write(file, out.toByteArray());
    }

    /** Runs a command; fails on a non-zero exit; returns stdout and stderr together. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "failed: " + String.join(" ", command) + "\n" + text);
        return text;
    }

    /**
     * Runs a command that may fail, with a file as its standard input, keeping its standard output and standard
     * error apart.
     */
    static Output exec(Path dir, Path stdin, String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectInput(stdin.toFile()).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    /** ffprobe's view of a file's first stream (keys without the stream prefix) and format ("format.*"). */
    static Map<String, String> probe(Path file) throws IOException, InterruptedException {
        String out = run(FFPROBE.toString(), "-v", "error", "-count_frames", "-show_streams", "-show_format",
                "-of", "flat=s=_", file.toString());
        System.out.println(file.getFileName() + ": " + out.lines()
                .filter(l -> l.matches(
                        ".*(codec_name|width|height|nb_read_frames|sample_rate|channels|format_duration)=.*"))
                .toList());
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String key = line.substring(0, eq).replaceFirst("^streams_stream_0_", "")
                        .replaceFirst("^format_", "format.");
                m.put(key, line.substring(eq + 1).replace("\"", ""));
            }
        }
        return m;
    }
}
