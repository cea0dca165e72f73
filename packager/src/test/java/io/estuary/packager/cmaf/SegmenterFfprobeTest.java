package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.PackagerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real media through the segmenter and into real decoders: ffmpeg makes 6 s of H.264 (with B-frames) and AAC as
 * FLV, the segmenter packages it, and ffprobe/ffmpeg must decode every frame of init + parts without a word.
 */
class SegmenterFfprobeTest {

    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    @TempDir
    static Path dir;
    static FlvReader flv;
    static RecordingListener listener;
    static final Map<String, Path> files = new HashMap<>();

    @BeforeAll
    static void packageRealMedia() throws Exception {
        assumeTrue(Files.isExecutable(FFMPEG) && Files.isExecutable(FFPROBE), "ffmpeg and ffprobe are needed");
        Path src = dir.resolve("in.flv");
        run(FFMPEG.toString(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ac", "2", "-f", "flv", src.toString());
        flv = FlvReader.read(Files.readAllBytes(src));
        listener = new RecordingListener();
        Segmenter segmenter = new Segmenter(PackagerConfig.defaults(), listener, () -> 1_700_000_000_000L);
        segmenter.onTracks(List.of(TrackInfo.video(1, flv.avc), TrackInfo.audio(2, flv.aac)));
        for (MediaFrame f : flv.frames) {
            segmenter.onFrame(f);
        }
        segmenter.onEnd();
        for (RecordingListener.Start s : listener.starts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(s.init());
            for (CmafPart p : listener.parts(s.track().name())) {
                out.write(p.bytes());
            }
            Path file = dir.resolve(s.track().name() + ".mp4");
            Files.write(file, out.toByteArray());
            files.put(s.track().name(), file);
        }
    }

    @Test
    void videoDecodesEveryFrame() throws Exception {
        long fed = flv.frames.stream().filter(f -> f.type() == MediaType.VIDEO).count();
        Map<String, String> s = probe(files.get("video"));
        assertEquals("h264", s.get("codec_name"));
        assertEquals("320", s.get("width"));
        assertEquals("240", s.get("height"));
        assertEquals(180, fed);
        assertEquals(String.valueOf(fed), s.get("nb_read_frames"));
        assertEquals(6.0, Double.parseDouble(s.get("format.duration")), 0.05);
        assertEquals("", run(FFMPEG.toString(), "-v", "error", "-i", files.get("video").toString(), "-f", "null",
                "-"));
    }

    @Test
    void audioDecodesEveryFrame() throws Exception {
        long fed = flv.frames.stream().filter(f -> f.type() == MediaType.AUDIO).count();
        Map<String, String> s = probe(files.get("audio"));
        assertEquals("aac", s.get("codec_name"));
        assertEquals("48000", s.get("sample_rate"));
        assertEquals("2", s.get("channels"));
        assertEquals(String.valueOf(fed), s.get("nb_read_frames"));
        assertEquals(fed * 1024 / 48000.0, Double.parseDouble(s.get("format.duration")), 0.05);
        assertEquals("", run(FFMPEG.toString(), "-v", "error", "-i", files.get("audio").toString(), "-f", "null",
                "-"));
    }

    @Test
    void realStreamIsCutIntoAlignedSegmentsOfWholeGops() {
        List<CmafPart> video = listener.parts("video");
        List<CmafPart> audio = listener.parts("audio");
        assertEquals(video.size(), audio.size(), "one audio part per video part");
        for (int i = 0; i < video.size(); i++) {
            CmafPart v = video.get(i);
            CmafPart a = audio.get(i);
            assertTrue(v.durationSeconds() <= 0.5 + 1e-9, "video part " + i + " " + v.durationSeconds());
            if (i < video.size() - 1) {
                assertTrue(a.durationSeconds() <= 0.5 + 1e-9, "audio part " + i + " " + a.durationSeconds());
            }
            assertEquals(v.endsSegment(), a.endsSegment(), "segment ends coincide at part " + i);
            assertEquals(v.baseMediaDecodeTime() / 90_000.0, a.baseMediaDecodeTime() / 48_000.0, 1024 / 48_000.0,
                    "part " + i + " starts together");
        }
        List<Double> segments = new ArrayList<>();
        double current = 0;
        for (int i = 0; i < video.size(); i++) {
            current += video.get(i).durationSeconds();
            if (i == 0 || video.get(i - 1).endsSegment()) {
                assertTrue(video.get(i).independent(), "a segment starts with a keyframe");
            }
            if (video.get(i).endsSegment()) {
                segments.add(current);
                current = 0;
            }
        }
        assertEquals(List.of(2.0, 2.0, 2.0), segments.stream().map(d -> Math.round(d * 1000) / 1000.0).toList());
    }

    private static Map<String, String> probe(Path file) throws Exception {
        String out = run(FFPROBE.toString(), "-v", "error", "-count_frames", "-show_streams", "-show_format",
                "-of", "flat=s=_", file.toString());
        System.out.println(file.getFileName() + ": " + out.lines()
                .filter(l -> l.matches(".*(codec_name|width|height|nb_read_frames|sample_rate|channels|format_duration)=.*"))
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

    /** Runs a command; fails on a non-zero exit; returns stdout and stderr together. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "failed: " + String.join(" ", command) + "\n" + text);
        return text;
    }
}
