package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesOverTheLastSamples() {
        LatencyStats s = new LatencyStats(100);
        assertEquals(0, s.p50Nanos());
        for (int i = 1; i <= 100; i++) {
            s.add(i);
        }
        assertEquals(50, s.p50Nanos());
        assertEquals(99, s.p99Nanos());
        assertEquals(100, s.maxNanos());
        for (int i = 0; i < 100; i++) {
            s.add(7); // the old samples leave the reservoir
        }
        assertEquals(200, s.count());
        assertEquals(7, s.maxNanos());
    }
}
