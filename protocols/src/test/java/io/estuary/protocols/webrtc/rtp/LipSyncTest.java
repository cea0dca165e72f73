package io.estuary.protocols.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LipSyncTest {
    private static final long MS = 1_000_000L;
    private static final long ORIGIN = 5_000 * MS;
    private static final int VIDEO = 0;
    private static final int AUDIO = 1;

    private final LipSync sync = new LipSync(2, new int[] {90_000, 48_000}, ORIGIN);

    private static long ntpSeconds(long seconds) {
        return seconds << 32;
    }

    @Test
    void anchorsEachTrackAtItsFirstArrival() {
        assertEquals(9_000, sync.toTimeline(VIDEO, 1_000, ORIGIN + 100 * MS));   // 100 ms at 90 kHz
        assertEquals(5_760, sync.toTimeline(AUDIO, 77_000, ORIGIN + 120 * MS));  // 120 ms at 48 kHz
        // from then on each track follows its RTP clock, whatever the arrival jitter
        assertEquals(12_000, sync.toTimeline(VIDEO, 4_000, ORIGIN + 190 * MS));
        assertEquals(6_720, sync.toTimeline(AUDIO, 77_960, ORIGIN + 121 * MS));
    }

    @Test
    void unwrapsTheThirtyTwoBitTimestamp() {
        assertEquals(0, sync.toTimeline(VIDEO, 0xffff_f000L, ORIGIN));
        assertEquals(0x1f00, sync.toTimeline(VIDEO, 0x0000_0f00L, ORIGIN + 90 * MS));
        // once more round the 32-bit clock, in steps shorter than half of it (13 hours at 90 kHz in all)
        for (long ts : new long[] {0x4000_0000L, 0x8000_0000L, 0xc000_0000L, 0xffff_f000L}) {
            assertEquals(ts + 0x1000, sync.toTimeline(VIDEO, ts, ORIGIN));
        }
        assertEquals(0x1_0000_0000L + 0x1f00, sync.toTimeline(VIDEO, 0x0000_0f00L, ORIGIN));
    }

    @Test
    void neverGoesBackwardsNorBelowZero() {
        assertEquals(0, sync.toTimeline(AUDIO, 10_000, ORIGIN - 50 * MS));  // before the origin: clamped to 0
        assertEquals(960, sync.toTimeline(AUDIO, 10_960, ORIGIN));
        assertEquals(960, sync.toTimeline(AUDIO, 10_000, ORIGIN));          // a late packet: held
        assertEquals(1_920, sync.toTimeline(AUDIO, 11_920, ORIGIN));
    }

    @Test
    void senderReportsCorrectTheAnchorsOnce() {
        // Both first packets arrive 100 ms after the origin, but the sender reports say the audio packet was
        // captured 100 ms after the video one: audio belongs 100 ms (4800 ticks) later on the timeline.
        assertEquals(9_000, sync.toTimeline(VIDEO, 90_000, ORIGIN + 100 * MS));
        assertEquals(4_800, sync.toTimeline(AUDIO, 48_000, ORIGIN + 100 * MS));
        sync.onSenderReport(VIDEO, ntpSeconds(10), 90_000);               // video anchor captured at 10.0 s
        assertFalse(sync.corrected());
        sync.onSenderReport(AUDIO, ntpSeconds(10), 48_000 - 4_800);      // audio anchor at 10.1 s
        assertTrue(sync.corrected());
        assertEquals(4_800 + 960 + 4_800, sync.toTimeline(AUDIO, 48_960, ORIGIN + 120 * MS));
        assertEquals(9_000 + 3_000, sync.toTimeline(VIDEO, 93_000, ORIGIN + 133 * MS)); // the reference stays
        // later reports do not move anything again: no drift correction
        sync.onSenderReport(AUDIO, ntpSeconds(20), 48_000);
        assertEquals(4_800 + 1_920 + 4_800, sync.toTimeline(AUDIO, 49_920, ORIGIN + 140 * MS));
    }

    @Test
    void aCorrectionBackwardsHoldsTheTrackUntilItCatchesUp() {
        assertEquals(9_000, sync.toTimeline(VIDEO, 90_000, ORIGIN + 100 * MS));
        assertEquals(4_800, sync.toTimeline(AUDIO, 48_000, ORIGIN + 100 * MS));
        assertEquals(5_760, sync.toTimeline(AUDIO, 48_960, ORIGIN + 120 * MS));
        // the audio anchor was captured 100 ms BEFORE the video one: audio moves 4800 ticks back
        sync.onSenderReport(VIDEO, ntpSeconds(10), 90_000);
        sync.onSenderReport(AUDIO, ntpSeconds(10), 48_000 + 4_800);
        assertEquals(5_760, sync.toTimeline(AUDIO, 49_920, ORIGIN + 140 * MS));   // 1920 due: held at 5760
        assertEquals(5_760, sync.toTimeline(AUDIO, 53_760, ORIGIN + 220 * MS));   // exactly caught up
        assertEquals(6_720, sync.toTimeline(AUDIO, 54_720, ORIGIN + 240 * MS));   // moving again
    }

    @Test
    void aSenderReportBeforeTheFirstPacketWaitsForIt() {
        sync.onSenderReport(VIDEO, ntpSeconds(10), 90_000);
        sync.onSenderReport(AUDIO, ntpSeconds(10), 48_000 - 4_800);
        assertEquals(9_000, sync.toTimeline(VIDEO, 90_000, ORIGIN + 100 * MS));
        assertFalse(sync.corrected());
        // the correction applies from the audio anchor on: 100 ms arrival + 100 ms correction
        assertEquals(9_600, sync.toTimeline(AUDIO, 48_000, ORIGIN + 100 * MS));
        assertTrue(sync.corrected());
    }
}
