package io.estuary.server.e2e.support;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The watch sees a buffer dropped without release, and stays quiet when buffers are released. */
class LeakWatchTest {

    @Test
    void reportsADroppedBuffer() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        LeakWatch.LeakAppender appender = LeakWatch.attach();
        try {
            LeakWatch.assertNoLeaks(appender);
            leakOne();
            AssertionError error = assertThrows(AssertionError.class, () -> LeakWatch.assertNoLeaks(appender));
            assertTrue(error.getMessage().contains("LEAK"), error.getMessage());
            LeakWatch.assertNoLeaks(appender);
        } finally {
            LeakWatch.detach(appender);
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static void leakOne() {
        ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.directBuffer(128);
        buf.writeLong(42);
        // dropped without release()
    }
}
