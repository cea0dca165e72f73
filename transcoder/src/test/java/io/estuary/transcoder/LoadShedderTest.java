package io.estuary.transcoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.router.StreamKey;
import org.junit.jupiter.api.Test;

class LoadShedderTest {

    static final long MS = 1_000_000L;
    final LoadShedder shedder = new LoadShedder(new StreamKey("live", "t"), 1000 * MS, 3, 0);

    @Test
    void risesOneStepASecondWhileBehindUpToSkippingToAKeyframe() {
        assertEquals(0, shedder.observe(500 * MS, 100 * MS));
        assertEquals(1, shedder.observe(1500 * MS, 1000 * MS));
        assertEquals(1, shedder.observe(1500 * MS, 1500 * MS)); // a step gets a second to work
        assertEquals(2, shedder.observe(1500 * MS, 2000 * MS));
        assertEquals(3, shedder.observe(1500 * MS, 3000 * MS));
        assertFalse(shedder.skippingToKeyframe());
        assertEquals(4, shedder.observe(1500 * MS, 4000 * MS));
        assertTrue(shedder.skippingToKeyframe());
        assertEquals(4, shedder.observe(9000 * MS, 9000 * MS)); // no level beyond
        shedder.resumedAtKeyframe();
        assertEquals(3, shedder.level());
    }

    @Test
    void theMostExpensiveRungsHalveTheirRateButNeverAtAForcedKeyframe() {
        shedder.observe(1500 * MS, 1000 * MS);
        assertTrue(shedder.skips(0, 1, false));
        assertFalse(shedder.skips(0, 2, false));
        assertFalse(shedder.skips(0, 1, true));
        assertFalse(shedder.skips(1, 1, false));
    }

    @Test
    void fallsBackAfterFiveCalmSeconds() {
        shedder.observe(1500 * MS, 1000 * MS);
        assertEquals(1, shedder.observe(100 * MS, 2000 * MS));
        assertEquals(1, shedder.observe(100 * MS, 6000 * MS));
        assertEquals(0, shedder.observe(100 * MS, 7000 * MS));
        // a lag between a quarter and the whole of max-lag is neither calm nor behind
        shedder.observe(1500 * MS, 9000 * MS);
        shedder.observe(500 * MS, 10_000 * MS);
        assertEquals(1, shedder.observe(100 * MS, 14_000 * MS));
    }
}
