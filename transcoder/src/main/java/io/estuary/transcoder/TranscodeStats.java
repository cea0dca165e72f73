package io.estuary.transcoder;

import io.estuary.media.router.StreamKey;
import java.util.List;

/**
 * What one stream's transcoder is doing, for metrics and the API. Speed is content time transcoded per second of
 * work of the stream's busiest thread: the session thread (decoding, audio, and waiting for a rung whose queue is
 * full) or the slowest rung's worker (scaling and encoding). The threads run side by side, so the busiest one
 * bounds how fast the stream can go: 1.0 means it uses all the time it has, 3.0 that it could run three times
 * faster than real time. Times are wall times, so a machine short of cores lowers the speed too. Lag is how long
 * the latest source frame waited before the transcoder took it.
 */
public final class TranscodeStats {

    /** Long enough that the frames in flight in the rung workers (up to 8 each) blur the rate by a few percent. */
    private static final long WINDOW_NANOS = 2_000_000_000L;

    private final StreamKey key;
    private volatile List<RenditionStats> renditions = List.of();
    private volatile double speed;
    private volatile long lagNanos;
    private volatile int sheddingLevel;
    private volatile long sourceFramesSkipped;
    private long windowStartNanos = -1;
    private long windowBusyNanos;
    private long windowContentTicks;

    TranscodeStats(StreamKey key) {
        this.key = key;
    }

    public StreamKey key() {
        return key;
    }

    public List<RenditionStats> renditions() {
        return renditions;
    }

    /** Content seconds transcoded per second of work, over the last window; 0 before the first. */
    public double speed() {
        return speed;
    }

    public double lagSeconds() {
        return lagNanos / 1e9;
    }

    public int sheddingLevel() {
        return sheddingLevel;
    }

    /** Source video frames never decoded because the transcoder skipped to a keyframe to catch up. */
    public long sourceFramesSkipped() {
        return sourceFramesSkipped;
    }

    void renditions(List<RenditionStats> now) {
        renditions = List.copyOf(now);
    }

    void lag(long nanos, int level) {
        lagNanos = nanos;
        sheddingLevel = level;
    }

    void skippedSourceFrame() {
        sourceFramesSkipped++;
    }

    /** The session thread spent {@code busyNanos} on audio, which the next video frame's window counts. */
    void audioWorked(long busyNanos) {
        windowBusyNanos += busyNanos;
    }

    /**
     * One source video frame was handled on the session thread: it took {@code busyNanos} and covers
     * {@code contentTicks} (90 kHz). Every {@value #WINDOW_NANOS} ns this closes the window of the speed and the
     * renditions' rates.
     */
    void worked(long busyNanos, long contentTicks, long nowNanos) {
        if (windowStartNanos < 0) {
            windowStartNanos = nowNanos;
        }
        windowBusyNanos += busyNanos;
        windowContentTicks += contentTicks;
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= WINDOW_NANOS) {
            long busiest = windowBusyNanos;
            for (RenditionStats r : renditions) {
                busiest = Math.max(busiest, r.closeWindow(elapsed / 1e9));
            }
            if (busiest > 0) {
                speed = (windowContentTicks / 90_000.0) / (busiest / 1e9);
            }
            windowStartNanos = nowNanos;
            windowBusyNanos = 0;
            windowContentTicks = 0;
        }
    }
}
