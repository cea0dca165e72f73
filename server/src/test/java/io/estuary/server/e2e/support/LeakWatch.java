package io.estuary.server.e2e.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Netty's ResourceLeakDetector reports a leak while it runs. The tests run with paranoid leak
 * detection; a leak is only reported when a collected, unreleased buffer is noticed on a later allocation, so after
 * each test the watch collects garbage and allocates a few buffers to flush pending reports.
 *
 * <p>Use with {@code @ExtendWith(LeakWatch.class)} on a class.
 */
public final class LeakWatch implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    static final String DETECTOR_LOGGER = "io.netty.util.ResourceLeakDetector";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakWatch.class);

    /** Collects the leak detector's reports. */
    public static final class LeakAppender extends AppenderBase<ILoggingEvent> {
        private final List<String> leaks = new ArrayList<>();

        @Override
        protected synchronized void append(ILoggingEvent event) {
            String message = event.getFormattedMessage();
            if (message != null && message.contains("LEAK")) {
                leaks.add(message);
            }
        }

        public synchronized List<String> drain() {
            List<String> out = List.copyOf(leaks);
            leaks.clear();
            return out;
        }
    }

    /** Attaches a fresh appender to the leak detector's logger. */
    public static LeakAppender attach() {
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        LeakAppender appender = new LeakAppender();
        appender.setName("leak-watch-" + System.identityHashCode(appender));
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    public static void detach(LeakAppender appender) {
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        logger.detachAppender(appender);
        appender.stop();
    }

    /** Makes pending leak reports come out: collect, then allocate (the detector reports on allocation). */
    public static void nudge() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            System.runFinalization();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < 64; i++) {
                ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                direct.release();
                ByteBuf heap = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                heap.release();
            }
        }
    }

    /** Nudges the detector and fails if any leak was reported since the last check. */
    public static void assertNoLeaks(LeakAppender appender) {
        nudge();
        List<String> leaks = appender.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak report(s):\n" + String.join("\n\n", leaks));
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(LeakAppender.class, attach());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LeakAppender appender = context.getParent().orElseThrow().getStore(NAMESPACE).get(LeakAppender.class, LeakAppender.class);
        if (appender != null) {
            assertNoLeaks(appender);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LeakAppender appender = context.getStore(NAMESPACE).remove(LeakAppender.class, LeakAppender.class);
        if (appender != null) {
            try {
                assertNoLeaks(appender);
            } finally {
                detach(appender);
            }
        }
    }
}
