package io.estuary.media.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackStatsTest {
    private static final byte[] SPS_720P =
            HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000303c0f1831960");
    private static final byte[] PPS_720P = HexFormat.of().parseHex("68ebe3cb22c0");
    private static final TrackInfo VIDEO = TrackInfo.video(1, AvcConfig.fromAvcC(
            AvcDecoderConfigurationRecord.build(List.of(SPS_720P), List.of(PPS_720P))));

    /** 30 fps, 1000-byte frames, a keyframe every 60 frames (2 s). */
    private static MediaFrame frame(int n) {
        return new MediaFrame(1, MediaType.VIDEO, n * 3000L, 0, n % 60 == 0, new byte[1000], 0, 0);
    }

    @Test
    void ratesAreMeasuredOverMediaTimeAndTheGopBetweenKeyframes() {
        TrackStats stats = new TrackStats(VIDEO);
        stats.record(frame(0));
        assertTrue(Double.isNaN(stats.bitrateBps()), "no rate before a second of media");
        for (int n = 1; n <= 150; n++) {
            stats.record(frame(n));
        }
        assertEquals(151, stats.frames());
        assertEquals(151_000, stats.bytes());
        assertEquals(240_000, stats.bitrateBps(), 1e-6, "30 frames of 8000 bits per second");
        assertEquals(30.0, stats.frameRate(), 1e-9);
        assertEquals(2.0, stats.keyframeIntervalSeconds(), 1e-9);
    }

    @Test
    void aTimestampResetRestartsTheWindowInsteadOfReadingANegativeRate() {
        TrackStats stats = new TrackStats(VIDEO);
        for (int n = 0; n <= 40; n++) {
            stats.record(frame(n));
        }
        double before = stats.bitrateBps();
        for (int n = 0; n <= 20; n++) {
            stats.record(frame(n));
        }
        assertEquals(before, stats.bitrateBps(), 1e-9, "still the last complete window");
        for (int n = 21; n <= 31; n++) {
            stats.record(frame(n));
        }
        assertEquals(240_000, stats.bitrateBps(), 1e-6);
    }

    @Test
    void aSessionCountsPerTrackAndSumsDropsOfItsSubscribers() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        LiveStream stream = registry.publish(new StreamKey("live", "x"), new PublisherInfo("rtmp", "h", 1, null),
                reason -> { });
        stream.updateTracks(List.of(VIDEO));
        stream.publish(frame(0));
        stream.publish(frame(1));
        assertEquals(2, stream.trackStats().get(0).frames());
        assertEquals(VIDEO, stream.trackStats().get(0).info());
        assertEquals(0, stream.droppedFrames());
    }

    @Test
    void droppingASessionEndsItAndAsksThePublisherToGoOnce() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        List<String> reasons = new java.util.ArrayList<>();
        LiveStream stream = registry.publish(new StreamKey("live", "x"), new PublisherInfo("rtmp", "h", 1, null),
                reasons::add);
        stream.drop("dropped by an operator");
        stream.drop("again");
        assertEquals(List.of("dropped by an operator"), reasons);
        assertTrue(registry.get(new StreamKey("live", "x")).isEmpty());
    }
}
