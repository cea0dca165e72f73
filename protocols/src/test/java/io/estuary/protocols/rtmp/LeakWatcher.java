package io.estuary.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Netty's leak detector reports a leaked buffer. Attach before the test, {@link #assertNoLeaks}
 * after: it collects garbage a few times and allocates, which is when the detector reports.
 */
public final class LeakWatcher extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);

    public static LeakWatcher attach() {
        LeakWatcher watcher = new LeakWatcher();
        watcher.start();
        watcher.logger.addAppender(watcher);
        return watcher;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK")) {
            leaks.add(event.getFormattedMessage());
        }
    }

    public void assertNoLeaks() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            for (int j = 0; j < 100; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
                b.release();
            }
        }
        assertTrue(leaks.isEmpty(), () -> "buffer leaks: " + leaks);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
