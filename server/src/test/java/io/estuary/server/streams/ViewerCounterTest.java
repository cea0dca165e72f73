package io.estuary.server.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.estuary.media.router.StreamKey;
import org.junit.jupiter.api.Test;

class ViewerCounterTest {
    private static final StreamKey A = new StreamKey("live", "a");
    private static final StreamKey B = new StreamKey("live", "b");

    @Test
    void distinctClientsWithinTheWindowAreViewers() {
        ViewerCounter viewers = new ViewerCounter(10_000);
        viewers.seen(A, "10.0.0.1 firefox", 1_000);
        viewers.seen(A, "10.0.0.1 firefox", 2_000); // the same player reloading
        viewers.seen(A, "10.0.0.2 chrome", 5_000);
        viewers.seen(B, "10.0.0.1 firefox", 5_000);
        assertEquals(2, viewers.viewers(A, 6_000));
        assertEquals(1, viewers.viewers(B, 6_000));
        assertEquals(1, viewers.viewers(A, 12_500), "the first left 10 s after its last reload");
        viewers.sweep(16_000);
        assertEquals(0, viewers.viewers(A, 16_000));
        assertEquals(0, viewers.viewers(new StreamKey("live", "none"), 16_000));
    }
}
