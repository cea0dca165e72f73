package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.PackagerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opus passed through into CMAF, read back by the real ffprobe and ffmpeg: ffmpeg's libopus makes 3 s of a
 * 1 kHz tone as Ogg Opus, the packets go through the segmenter as WebRTC ingest would hand them over, and the
 * init segment plus every part must read as Opus of the right duration, every packet decoding.
 */
class SegmenterOpusFfprobeTest {

    @TempDir
    static Path dir;
    static OggOpusReader ogg;
    static RecordingListener listener;
    static Path file;

    @BeforeAll
    static void packageOpus() throws Exception {
        assumeTrue(RealMedia.available(), "ffmpeg and ffprobe are needed");
        Path src = dir.resolve("in.opus");
        RealMedia.run(RealMedia.FFMPEG.toString(), "-v", "error", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "3", "-ac", "2", "-c:a", "libopus", "-b:a", "64k",
                "-f", "ogg", src.toString());
        ogg = OggOpusReader.read(Files.readAllBytes(src), 2);
        listener = new RecordingListener();
        Segmenter segmenter = new Segmenter(PackagerConfig.defaults(), listener, () -> 1_700_000_000_000L);
        segmenter.onTracks(List.of(TrackInfo.audio(2, ogg.config)));
        for (MediaFrame f : ogg.frames) {
            segmenter.onFrame(f);
        }
        segmenter.onEnd();
        file = RealMedia.write(dir.resolve("audio.mp4"), listener, "audio");
    }

    @Test
    void ffprobeReadsOpusOfTheRightDuration() throws Exception {
        System.out.printf("ogg: %d packets, %d samples, pre-skip %d, last granule %d%n", ogg.frames.size(),
                ogg.totalSamples(), ogg.config.preSkip(), ogg.lastGranule);
        assertEquals(312, ogg.config.preSkip(), "libopus's pre-skip at 48 kHz");
        Map<String, String> s = RealMedia.probe(file);
        System.out.println(s.entrySet().stream().filter(e -> e.getKey().matches(
                ".*(duration|start|initial_padding|time_base|nb_frames).*")).sorted(Map.Entry.comparingByKey())
                .toList());
        assertEquals("opus", s.get("codec_name"));
        assertEquals("48000", s.get("sample_rate"));
        assertEquals("2", s.get("channels"));
        assertEquals("1/48000", s.get("time_base"));
        assertEquals(String.valueOf(ogg.frames.size()), s.get("nb_read_frames"), "every packet read");
        // The packets last 151 x 20 ms: the pre-skip plus the 3 s tone, rounded up to a whole packet. The edit list
        // starts the presentation pre-skip into the media, so the first sample heard is at 0 and the packets run
        // from -pre-skip; the tone ends within the last packet.
        double packets = ogg.totalSamples() / 48_000.0;
        double start = -ogg.config.preSkip() / 48_000.0;
        assertEquals(packets, Double.parseDouble(s.get("duration")), 0.0005, "stream duration");
        assertEquals(packets, Double.parseDouble(s.get("format.duration")), 0.0005, "file duration");
        assertEquals(String.valueOf(-ogg.config.preSkip()), s.get("start_pts"), "the edit list's pre-skip");
        assertEquals(start, Double.parseDouble(s.get("start_time")), 1e-6);
        double end = start + Double.parseDouble(s.get("duration"));
        assertTrue(end >= 3.0 && end < 3.02, "the tone's 3 s end in the last packet: " + end);
    }

    @Test
    void ffmpegDecodesEveryPacketWithoutAWord() throws Exception {
        assertEquals("", RealMedia.run(RealMedia.FFMPEG.toString(), "-v", "error", "-i", file.toString(), "-f",
                "null", "-"));
    }

    @Test
    void audioAloneCutsItsOwnSegmentsAtTheTarget() {
        List<CmafPart> parts = listener.parts("audio");
        SegmenterTest.assertContinuous(parts);
        assertEquals(ogg.totalSamples(), parts.stream().mapToLong(CmafPart::duration).sum(), "every sample");
        assertTrue(parts.stream().allMatch(p -> p.durationSeconds() <= 0.5 + 1e-9), "parts within 0.5 s");
        for (CmafPart p : parts) {
            Boxes.Box traf = Boxes.find(p.bytes(), "moof/traf");
            assertEquals(List.of("tfhd", "tfdt", "trun", "sbgp"), Boxes.children(p.bytes(), traf.payloadOffset(),
                    traf.offset() + traf.size()).stream().map(Boxes.Box::type).toList());
            java.nio.ByteBuffer sbgp = Boxes.find(p.bytes(), "moof/traf/sbgp").payload();
            assertEquals(p.sampleCount(), sbgp.getInt(12), "every sample of the part in the roll group");
            assertEquals(1, sbgp.getInt(16));
        }
        List<Double> segments = SegmenterTest.segmentDurations(parts);
        System.out.println("opus segments: " + segments);
        assertEquals(2.0, segments.get(0), 0.001, "a segment of 2 s");
    }
}
