package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.PackagerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Segmenter logic with synthetic frames: 30 fps video at 90 kHz, AAC at 48 kHz, 2 s segments, 500 ms parts. */
class SegmenterTest {

    static final TrackInfo VIDEO = CmafInitWriterTest.videoTrack();
    static final TrackInfo AUDIO = CmafInitWriterTest.audioTrack();
    static final long FRAME = 3000; // 30 fps at 90 kHz
    static final long AAC = 1024;

    final RecordingListener listener = new RecordingListener();
    final Segmenter segmenter = new Segmenter(PackagerConfig.defaults(), listener, () -> 1_700_000_000_000L);

    static MediaFrame video(long index, boolean key) {
        return new MediaFrame(1, MediaType.VIDEO, index * FRAME, 0, key, new byte[100], 1000 + index, 7 * index);
    }

    static MediaFrame audio(long index) {
        return new MediaFrame(2, MediaType.AUDIO, index * AAC, 0, true, new byte[10], 2000 + index, 9 * index);
    }

    /** Video frames 0..count-1 with a keyframe every gop frames, and audio covering the same time, by time. */
    static List<MediaFrame> interleaved(int videoFrames, int gop, long audioLeadMillis) {
        List<MediaFrame> all = new ArrayList<>();
        for (int i = 0; i < videoFrames; i++) {
            all.add(video(i, i % gop == 0));
        }
        long audioFrames = videoFrames * FRAME * 48_000 / 90_000 / AAC;
        for (int i = 0; i < audioFrames; i++) {
            all.add(audio(i));
        }
        // arrival order: by time, audio shifted earlier by the lead (it arrives before video of the same time)
        all.sort(Comparator.comparingDouble(f -> f.type() == MediaType.VIDEO ? f.dts() / 90.0
                : f.dts() / 48.0 - audioLeadMillis));
        return all;
    }

    void feed(List<MediaFrame> frames) {
        frames.forEach(segmenter::onFrame);
    }

    static List<Double> segmentDurations(List<CmafPart> parts) {
        List<Double> out = new ArrayList<>();
        long sum = 0;
        for (CmafPart p : parts) {
            sum += p.duration();
            if (p.endsSegment()) {
                out.add(Math.round(sum * 1000.0 / p.track().info().timescale()) / 1000.0);
                sum = 0;
            }
        }
        return out;
    }

    static void assertContinuous(List<CmafPart> parts) {
        for (int i = 1; i < parts.size(); i++) {
            assertEquals(parts.get(i - 1).baseMediaDecodeTime() + parts.get(i - 1).duration(),
                    parts.get(i).baseMediaDecodeTime(), "tfdt continuity at part " + i);
        }
    }

    @Test
    void segmentsEndAtTheFirstKeyframeAtLeastTargetAfterTheirStart() {
        segmenter.onTracks(List.of(VIDEO));
        // keyframes every 1.5 s: the first one at or after 2 s is at 3 s
        for (int i = 0; i < 300; i++) {
            segmenter.onFrame(video(i, i % 45 == 0));
        }
        segmenter.onEnd();
        List<CmafPart> parts = listener.parts("video");
        assertEquals(List.of(3.0, 3.0, 3.0, 1.0), segmentDurations(parts));
        for (int i = 0; i < parts.size(); i++) {
            boolean startsSegment = i == 0 || parts.get(i - 1).endsSegment();
            if (startsSegment) {
                assertTrue(parts.get(i).independent(), "segment starts on a keyframe at part " + i);
            }
            assertTrue(parts.get(i).duration() <= 45_000, "part " + i + " within part-target");
        }
        assertContinuous(parts);
        assertEquals(300, parts.stream().mapToInt(CmafPart::sampleCount).sum());
        assertTrue(parts.get(parts.size() - 1).endsSegment());
        assertEquals("end", listener.events.get(listener.events.size() - 1));
    }

    @Test
    void videoOnlyPartsFillThePartTargetExactly() {
        segmenter.onTracks(List.of(VIDEO));
        for (int i = 0; i < 120; i++) {
            segmenter.onFrame(video(i, i % 60 == 0));
        }
        segmenter.onEnd();
        List<Long> durations = listener.parts("video").stream().map(CmafPart::duration).toList();
        // 15 frames of 3000 = 45000 = 500 ms; a keyframe every 2 s
        assertEquals(List.of(45_000L, 45_000L, 45_000L, 45_000L, 45_000L, 45_000L, 45_000L, 45_000L), durations);
        assertEquals(List.of(false, false, false, true, false, false, false, true),
                listener.parts("video").stream().map(CmafPart::endsSegment).toList());
        assertEquals(List.of(true, false, false, false, true, false, false, false),
                listener.parts("video").stream().map(CmafPart::independent).toList());
    }

    @Test
    void partsCarryFirstFrameClockAndSequenceNumbers() {
        segmenter.onTracks(List.of(VIDEO));
        for (int i = 0; i < 40; i++) {
            segmenter.onFrame(video(i, i == 0));
        }
        segmenter.onEnd();
        List<CmafPart> parts = listener.parts("video");
        assertEquals(1000, parts.get(0).firstFrameWallClockMillis());
        assertEquals(1015, parts.get(1).firstFrameWallClockMillis());
        assertEquals(7 * 15, parts.get(1).firstFrameReceivedNanos());
        assertEquals(15 * FRAME, parts.get(1).baseMediaDecodeTime());
        for (int i = 0; i < parts.size(); i++) {
            // mfhd sequence_number at offset 20 of the chunk
            assertEquals(i + 1, java.nio.ByteBuffer.wrap(parts.get(i).bytes()).getInt(20));
        }
        // the last frame has no successor: it lasts as long as the one before
        assertEquals(10 * FRAME, parts.get(2).duration());
    }

    @Test
    void audioPartsAreCutAtTheVideoPartTimes() {
        segmenter.onTracks(List.of(VIDEO, AUDIO));
        feed(interleaved(300, 30, 300));
        segmenter.onEnd();
        List<CmafPart> video = listener.parts("video");
        List<CmafPart> audio = listener.parts("audio");
        assertEquals(video.size(), audio.size());
        for (int i = 0; i < video.size(); i++) {
            CmafPart v = video.get(i);
            CmafPart a = audio.get(i);
            assertEquals(v.endsSegment(), a.endsSegment(), "part " + i);
            // audio part i starts at the first audio sample at or after video part i's start
            double vStart = v.baseMediaDecodeTime() / 90_000.0;
            double aStart = a.baseMediaDecodeTime() / 48_000.0;
            assertTrue(aStart >= vStart && aStart < vStart + AAC / 48_000.0, "part " + i + ": " + vStart + " vs "
                    + aStart);
            assertTrue(v.durationSeconds() <= 0.5 && a.durationSeconds() <= 0.5, "part " + i + " within target");
        }
        assertContinuous(video);
        assertContinuous(audio);
        assertEquals(List.of(2.0, 2.0, 2.0, 2.0, 2.0), segmentDurations(video));
    }

    @Test
    void audioArrivingLateIsStillAligned() {
        segmenter.onTracks(List.of(VIDEO, AUDIO));
        feed(interleaved(150, 30, -400)); // audio arrives 400 ms behind video
        segmenter.onEnd();
        assertEquals(listener.parts("video").stream().map(CmafPart::endsSegment).toList(),
                listener.parts("audio").stream().map(CmafPart::endsSegment).toList());
    }

    @Test
    void audioBeforeTheFirstVideoKeyframeIsDropped() {
        segmenter.onTracks(List.of(VIDEO, AUDIO));
        for (int i = 0; i < 10; i++) {
            segmenter.onFrame(audio(i));
        }
        // video starts at 0.2 s = 18000 ticks = audio 9600 samples: audio frames 0..9 end before it
        for (int i = 0; i < 60; i++) {
            segmenter.onFrame(new MediaFrame(1, MediaType.VIDEO, 18_000 + i * FRAME, 0, i == 0, new byte[5], 0, 0));
            segmenter.onFrame(audio(10 + i));
        }
        segmenter.onEnd();
        CmafPart firstAudio = listener.parts("audio").get(0);
        assertTrue(firstAudio.baseMediaDecodeTime() >= 9600, "audio starts with video");
        assertTrue(segmenter.droppedFrames() >= 9);
    }

    @Test
    void audioOnlyStreamCutsItself() {
        segmenter.onTracks(List.of(AUDIO));
        for (int i = 0; i < 470; i++) { // ~10 s
            segmenter.onFrame(audio(i));
        }
        segmenter.onEnd();
        List<CmafPart> parts = listener.parts("audio");
        for (CmafPart p : parts) {
            assertTrue(p.duration() <= 24_000, "within part-target: " + p.duration());
            assertTrue(p.independent());
        }
        assertContinuous(parts);
        assertEquals(470, parts.stream().mapToInt(CmafPart::sampleCount).sum());
        List<Double> segments = segmentDurations(parts);
        for (double s : segments.subList(0, segments.size() - 1)) {
            assertTrue(s > 1.5 && s <= 2.0, "segment of " + s);
        }
    }

    @Test
    void audioIsCutByItselfWhenVideoStalls() {
        segmenter.onTracks(List.of(VIDEO, AUDIO));
        feed(interleaved(60, 30, 0)); // 2 s of both
        for (int i = 93; i < 93 + 300; i++) { // interleaved() gave audio 0..92 // then 6.4 s of audio alone
            segmenter.onFrame(audio(i));
        }
        double audioOut = listener.parts("audio").stream().mapToDouble(CmafPart::durationSeconds).sum();
        assertTrue(audioOut > 3.5, "audio was not held back for ever: " + audioOut + " s out");
        segmenter.onEnd();
        assertEquals(393, listener.parts("audio").stream().mapToInt(CmafPart::sampleCount).sum());
        assertContinuous(listener.parts("audio"));
    }

    @Test
    void codecChangeFlushesEveryTrackAndStartsNewEpochs() {
        segmenter.onTracks(List.of(VIDEO, AUDIO));
        feed(interleaved(50, 30, 0));
        int partsBefore = listener.parts.size();
        byte[] otherAvcC = AvcDecoderConfigurationRecord.build(List.of(CmafInitWriterTest.SPS),
                List.of(new byte[] {0x68, (byte) 0xee, 0x3c, (byte) 0x80}));
        TrackInfo newVideo = TrackInfo.video(1, AvcConfig.fromAvcC(otherAvcC));
        segmenter.onTracks(List.of(newVideo, AUDIO));

        List<CmafPart> flushed = listener.parts.subList(partsBefore, listener.parts.size());
        assertFalse(flushed.isEmpty());
        CmafPart lastVideo = listener.parts("video").get(listener.parts("video").size() - 1);
        CmafPart lastAudio = listener.parts("audio").get(listener.parts("audio").size() - 1);
        assertTrue(lastVideo.endsSegment() && lastAudio.endsSegment(), "both tracks end a segment");
        assertEquals(50, listener.parts("video").stream().mapToInt(CmafPart::sampleCount).sum());

        assertEquals(4, listener.starts.size());
        RecordingListener.Start oldVideo = listener.starts.get(0);
        RecordingListener.Start newStart = listener.starts.get(2);
        assertEquals("video", newStart.track().name());
        assertEquals(newVideo, newStart.track().info());
        assertTrue(Long.parseLong(newStart.track().epoch(), 36) > Long.parseLong(oldVideo.track().epoch(), 36));
        assertNotEquals(listener.starts.get(1).track().epoch(), listener.starts.get(3).track().epoch());
        assertTrue(listener.events.indexOf(lastVideo) < listener.events.indexOf(newStart), "flush before start");

        // the same tracks again change nothing
        segmenter.onTracks(List.of(newVideo, AUDIO));
        assertEquals(4, listener.starts.size());

        for (int i = 50; i < 80; i++) {
            segmenter.onFrame(video(i, i == 50));
        }
        segmenter.onEnd();
        CmafPart firstNew = listener.parts("video").stream().filter(p -> p.track().info().equals(newVideo))
                .findFirst().orElseThrow();
        assertTrue(firstNew.independent());
        assertEquals(50 * FRAME, firstNew.baseMediaDecodeTime());
    }

    @Test
    void epochsIncreaseEvenWithAStoppedClock() {
        Segmenter other = new Segmenter(PackagerConfig.defaults(), listener, () -> 5);
        other.onTracks(List.of(VIDEO, AUDIO));
        segmenter.onTracks(List.of(VIDEO, AUDIO));
        List<Long> epochs = listener.starts.stream().map(s -> Long.parseLong(s.track().epoch(), 36)).toList();
        for (int i = 1; i < epochs.size(); i++) {
            assertTrue(epochs.get(i) > epochs.get(i - 1), "epochs " + epochs);
        }
    }

    @Test
    void framesWhoseDecodeTimeDoesNotAdvanceAreDropped() {
        segmenter.onTracks(List.of(VIDEO));
        for (int i = 0; i < 20; i++) {
            segmenter.onFrame(video(i, i == 0));
            if (i == 10) {
                segmenter.onFrame(video(10, false)); // repeat
                segmenter.onFrame(video(4, false)); // backwards
            }
        }
        segmenter.onEnd();
        assertEquals(2, segmenter.droppedFrames());
        assertEquals(20, listener.parts("video").stream().mapToInt(CmafPart::sampleCount).sum());
        assertContinuous(listener.parts("video"));
    }

    @Test
    void videoBeforeTheFirstKeyframeIsDropped() {
        segmenter.onTracks(List.of(VIDEO));
        for (int i = 0; i < 20; i++) {
            segmenter.onFrame(video(i, i == 5));
        }
        segmenter.onEnd();
        assertEquals(5, segmenter.droppedFrames());
        assertTrue(listener.parts("video").get(0).independent());
        assertEquals(5 * FRAME, listener.parts("video").get(0).baseMediaDecodeTime());
    }

    @Test
    void partsAreCutEarlyAtTheSampleAndByteBounds() {
        segmenter.onTracks(List.of(VIDEO));
        // 1-tick frames: 45000 of them would fit the part target; the sample bound cuts at 2000
        for (int i = 0; i < 5000; i++) {
            segmenter.onFrame(new MediaFrame(1, MediaType.VIDEO, i, 0, i == 0, new byte[1], 0, 0));
        }
        // then 6 MiB frames: at most two fit in 16 MiB
        for (int i = 0; i < 5; i++) {
            segmenter.onFrame(new MediaFrame(1, MediaType.VIDEO, 5000 + i, 0, false, new byte[6 << 20], 0, 0));
        }
        segmenter.onEnd();
        for (CmafPart p : listener.parts("video")) {
            assertTrue(p.sampleCount() <= Segmenter.MAX_SAMPLES_PER_PART);
            assertTrue(p.bytes().length <= Segmenter.MAX_BYTES_PER_PART + 1024);
        }
        assertEquals(5005, listener.parts("video").stream().mapToInt(CmafPart::sampleCount).sum());
    }

    @Test
    void shorterPartTargetGivesShorterParts() {
        Segmenter s = new Segmenter(new PackagerConfig(Duration.ofSeconds(1), Duration.ofMillis(200), 5, 1 << 20,
                Duration.ofSeconds(1)), listener);
        s.onTracks(List.of(VIDEO, AUDIO));
        interleaved(90, 30, 100).forEach(s::onFrame);
        s.onEnd();
        for (CmafPart p : listener.parts) {
            assertTrue(p.durationSeconds() <= 0.2, p.track().name() + " part of " + p.durationSeconds());
        }
        assertEquals(List.of(1.0, 1.0, 1.0), segmentDurations(listener.parts("video")));
    }

    @Test
    void nothingAfterTheEnd() {
        segmenter.onTracks(List.of(VIDEO));
        segmenter.onFrame(video(0, true));
        segmenter.onEnd();
        segmenter.onFrame(video(1, false));
        segmenter.onEnd();
        assertEquals(1, listener.parts.size());
        assertEquals(1, listener.events.stream().filter("end"::equals).count());
    }

    @Test
    void aKeyframeIntervalThatRoundsDownStillGivesSegmentsOfOneGop() {
        // OBS at 29.97 fps with a 2 s keyframe interval sends 59-frame GOPs: 1.967 s, just under the target.
        segmenter.onTracks(List.of(VIDEO));
        for (int i = 0; i <= 59 * 4; i++) {
            segmenter.onFrame(video(i, i % 59 == 0));
        }
        segmenter.onEnd();
        List<Double> durations = segmentDurations(listener.parts("video"));
        for (int i = 0; i < 4; i++) {
            assertEquals(59 / 30.0, durations.get(i), 0.001, "segment " + i + " is one GOP, not two (ms rounding)");
        }
    }

    @Test
    void aSegmentWithNoKeyframeInSightIsCutAtThreeTargets() {
        segmenter.onTracks(List.of(VIDEO));
        for (int i = 0; i < 600; i++) { // 20 s with a single keyframe
            segmenter.onFrame(video(i, i == 0));
        }
        segmenter.onEnd();
        List<CmafPart> parts = listener.parts("video");
        assertEquals(List.of(6.0, 6.0, 6.0), segmentDurations(parts).subList(0, 3));
        CmafPart firstOfSecondSegment = parts.get(parts.indexOf(
                parts.stream().filter(CmafPart::endsSegment).findFirst().orElseThrow()) + 1);
        assertFalse(firstOfSecondSegment.independent(), "a segment cut without a keyframe does not claim one");
    }
}
