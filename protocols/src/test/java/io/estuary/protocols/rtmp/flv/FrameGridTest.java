package io.estuary.protocols.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FrameGridTest {

    /** What RTMP delivers for frame n at the given rate: whole milliseconds, in 90 kHz ticks. */
    private static long rtmpTicks(long n, double fps) {
        return Math.round(n * 1000 / fps) * 90;
    }

    @Test
    void millisecondTimestampsOf30FpsBecomeExactFrames() {
        FrameGrid grid = new FrameGrid();
        grid.frameRate(30);
        for (long n = 0; n < 1000; n++) {
            assertEquals(n * 3000, grid.dts(rtmpTicks(n, 30)), "frame " + n);
        }
    }

    @Test
    void ntscRatesKeepTheirExactAverage() {
        FrameGrid grid = new FrameGrid();
        grid.frameRate(30000.0 / 1001);
        for (long n = 0; n < 1000; n++) {
            assertEquals(n * 3003, grid.dts(rtmpTicks(n, 30000.0 / 1001)), "frame " + n);
        }
        FrameGrid fast = new FrameGrid();
        fast.frameRate(60000.0 / 1001);
        // 1501.5 ticks a frame: two frames are exactly 3003
        for (long n = 0; n < 1000; n += 2) {
            assertEquals(n / 2 * 3003, fast.dts(rtmpTicks(n, 60000.0 / 1001)), "frame " + n);
            fast.dts(rtmpTicks(n + 1, 60000.0 / 1001));
        }
    }

    @Test
    void compositionOffsetsBecomeWholeFrames() {
        FrameGrid grid = new FrameGrid();
        grid.frameRate(30);
        assertEquals(6000, grid.compositionOffset(67 * 90));
        assertEquals(3000, grid.compositionOffset(33 * 90));
        assertEquals(-3000, grid.compositionOffset(-33 * 90));
        assertEquals(0, grid.compositionOffset(0));
        assertEquals(45 * 90, grid.compositionOffset(45 * 90), "half a frame off the grid: left alone");
    }

    @Test
    void gapsAndUnknownRatesPassThrough() {
        FrameGrid grid = new FrameGrid();
        grid.frameRate(30);
        assertEquals(0, grid.dts(0));
        assertEquals(3000, grid.dts(33 * 90));
        // a 517 ms gap (not a whole number of frames): re-anchor there, then snap relative to it
        assertEquals(550 * 90, grid.dts(550 * 90));
        assertEquals(550 * 90 + 3000, grid.dts(583 * 90));

        FrameGrid unknown = new FrameGrid();
        assertEquals(33 * 90, unknown.dts(33 * 90));
        assertEquals(67 * 90, unknown.compositionOffset(67 * 90));
    }
}
