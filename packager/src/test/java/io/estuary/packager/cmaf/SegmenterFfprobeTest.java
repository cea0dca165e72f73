package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.estuary.media.frame.MediaType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real media through the segmenter and into real decoders: ffmpeg makes 6 s of H.264 (with B-frames) and AAC as
 * FLV, the segmenter packages it, and ffprobe/ffmpeg must decode every frame of init + parts without a word.
 */
class SegmenterFfprobeTest {

    private static final Path FFMPEG = RealMedia.FFMPEG;
    private static final Path FFPROBE = RealMedia.FFPROBE;

    @TempDir
    static Path dir;
    static FlvReader flv;
    static RecordingListener listener;
    static final Map<String, Path> files = new HashMap<>();

    @BeforeAll
    static void packageRealMedia() throws Exception {
        assumeTrue(RealMedia.available(), "ffmpeg and ffprobe are needed");
        flv = RealMedia.makeFlv(dir);
        listener = RealMedia.segment(flv, null);
        for (RecordingListener.Start s : listener.starts) {
            String name = s.track().name();
            files.put(name, RealMedia.write(dir.resolve(name + ".mp4"), listener, name));
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
        return RealMedia.probe(file);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        return RealMedia.run(command);
    }
}
