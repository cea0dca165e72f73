package io.estuary.protocols.rtmp.flv;

/**
 * Restores exact video timestamps from RTMP's millisecond ones. FLV carries whole milliseconds, so 30 fps arrives
 * as 33, 34, 33 ms steps; in 90 kHz units those are 2970, 3060, 2970 instead of 3000. Downstream, jittery durations
 * make parts and segments miss their targets by a frame (six frames of a 200 ms part look like 201 ms). When the
 * bitstream signals a frame rate, a timestamp within 1 ms of the frame grid is moved onto it; anything farther is a
 * real gap or variable frame rate, and the grid re-anchors there.
 */
final class FrameGrid {
    /** The rounding error of a millisecond timestamp, in 90 kHz ticks, with a little room. */
    private static final long TOLERANCE = 90;

    private double frameTicks;
    private long anchor;
    private boolean anchored;
    private long lastDts = Long.MIN_VALUE;

    /** Sets the nominal frame rate (0 when unknown: timestamps pass through unchanged). */
    void frameRate(double fps) {
        double ticks = fps > 0 && fps <= 300 ? 90_000.0 / fps : 0;
        if (ticks != frameTicks) {
            frameTicks = ticks;
            anchored = false;
        }
    }

    /** The decode timestamp, in 90 kHz ticks, for a raw one. */
    long dts(long rawTicks) {
        long dts = rawTicks;
        if (frameTicks > 0) {
            if (anchored) {
                long frames = Math.round((rawTicks - anchor) / frameTicks);
                long onGrid = anchor + Math.round(frames * frameTicks);
                if (Math.abs(rawTicks - onGrid) <= TOLERANCE && onGrid > lastDts) {
                    dts = onGrid;
                } else {
                    anchor = rawTicks;
                }
            } else {
                anchor = rawTicks;
                anchored = true;
            }
        }
        lastDts = dts;
        return dts;
    }

    /** The composition offset, in 90 kHz ticks, for a raw one: a whole number of frames when it is close to one. */
    int compositionOffset(int rawTicks) {
        if (frameTicks <= 0 || rawTicks == 0) {
            return rawTicks;
        }
        long onGrid = Math.round(Math.round(rawTicks / frameTicks) * frameTicks);
        return Math.abs(rawTicks - onGrid) <= TOLERANCE ? (int) onGrid : rawTicks;
    }
}
