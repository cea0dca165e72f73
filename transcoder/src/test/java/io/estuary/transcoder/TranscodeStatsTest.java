package io.estuary.transcoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.estuary.media.router.StreamKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The speed is bounded by the stream's busiest thread, whichever it is; rates close with the window. */
class TranscodeStatsTest {

    private static final long MS = 1_000_000L;
    /** 30 fps in 90 kHz ticks. */
    private static final long FRAME_TICKS = 3000;

    private final TranscodeStats stats = new TranscodeStats(new StreamKey("live", "s"));
    private final RenditionStats source = new RenditionStats("source", true, 1280, 720, 0);
    private final RenditionStats p720 = new RenditionStats("720p", false, 1280, 720, 2_800_000);
    private final RenditionStats p240 = new RenditionStats("240p", false, 426, 240, 400_000);
    private long now = 1_000_000_000L;

    TranscodeStatsTest() {
        stats.renditions(List.of(source, p720, p240));
    }

    @Test
    void theSlowestRungBoundsTheSpeedWhenItWorksLongerThanTheDecode() {
        // 2 s of content (60 frames) in a 2 s window; decoding took 5 ms a frame (300 ms), 720p 20 ms a frame
        // (1.2 s), 240p 4 ms a frame (240 ms).
        runWindow(5 * MS, 20 * MS, 4 * MS);
        assertEquals(2.0 / 1.2, stats.speed(), 1e-9);
        assertEquals(1.2, p720.workSeconds(), 1e-9);
        assertEquals(0.24, p240.workSeconds(), 1e-9);
        assertEquals(0.0, source.workSeconds());
    }

    @Test
    void theSessionThreadBoundsTheSpeedWhenItIsTheBusiest() {
        runWindow(25 * MS, 20 * MS, 4 * MS);
        assertEquals(2.0 / 1.5, stats.speed(), 1e-9);
    }

    @Test
    void audioCountsOnTheSessionThread() {
        stats.audioWorked(1000 * MS); // with 60 × 5 ms of decoding, more than 720p's 1.2 s
        runWindow(5 * MS, 20 * MS, 4 * MS);
        assertEquals(2.0 / 1.3, stats.speed(), 1e-9);
    }

    @Test
    void eachWindowStandsAlone() {
        runWindow(5 * MS, 20 * MS, 4 * MS);
        runWindow(5 * MS, 10 * MS, 4 * MS); // the next window: 720p got twice as fast
        assertEquals(2.0 / 0.6, stats.speed(), 1e-9);
        assertEquals(1.8, p720.workSeconds(), 1e-9);
    }

    @Test
    void ratesAreFramesOutPerSecondOfTheWindow() {
        for (int i = 0; i < 60; i++) {
            p720.frameOut();
        }
        for (int i = 0; i < 30; i++) {
            p240.frameOut();
        }
        runWindow(5 * MS, 20 * MS, 4 * MS);
        assertEquals(30.0, p720.framesPerSecond(), 1e-9);
        assertEquals(15.0, p240.framesPerSecond(), 1e-9);
    }

    /**
     * 61 source frames handled 1/30 s apart, the first opening the window and the last closing it 2 s later;
     * the rungs do their work for 60 of them in between.
     */
    private void runWindow(long decodeNanos, long p720Nanos, long p240Nanos) {
        long t = now;
        stats.worked(0, 0, t);
        for (int i = 1; i <= 60; i++) {
            p720.worked(p720Nanos);
            p240.worked(p240Nanos);
            t = now + i * 2_000_000_000L / 60;
            stats.worked(decodeNanos, FRAME_TICKS, t);
        }
        now = t;
    }
}
