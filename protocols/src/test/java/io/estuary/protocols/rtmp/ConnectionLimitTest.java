package io.estuary.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.StreamRegistry;
import io.estuary.protocols.auth.StreamKeyAuthorizer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The connection limit turns the surplus away at accept, the listener sees every open, close and refusal, and a
 * flood of refusals does not flood the log.
 */
class ConnectionLimitTest {

    private static final class Counting implements RtmpListener {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public void connectionOpened() {
            opened.incrementAndGet();
        }

        @Override
        public void connectionClosed() {
            closed.incrementAndGet();
        }

        @Override
        public void refused(Refusal reason) {
            assertEquals(Refusal.TOO_MANY_CONNECTIONS, reason);
            refused.incrementAndGet();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndCountedAsRefused() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Counting listener = new Counting();
        RtmpConfig config = new RtmpConfig(0, 64 * 1024, 4096, 2_500_000, Duration.ofSeconds(5),
                Duration.ofSeconds(5), 2);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new RtmpServerInitializer(config, new StreamRegistry(),
                        StreamKeyAuthorizer.from(ConfigFactory.empty()), listener))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        List<Socket> sockets = new ArrayList<>();
        Logger ingestLog = (Logger) LoggerFactory.getLogger("io.estuary.ingest");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ingestLog.addAppender(log);
        try {
            for (int i = 0; i < 2; i++) {
                sockets.add(new Socket("127.0.0.1", port));
            }
            for (int i = 0; i < 3; i++) {
                try (Socket surplus = new Socket("127.0.0.1", port)) {
                    surplus.setSoTimeout(5000);
                    assertEquals(-1, surplus.getInputStream().read(), "a connection past the limit is closed");
                }
            }
            assertEquals(2, listener.opened.get());
            assertEquals(3, listener.refused.get());
            List<ILoggingEvent> lines = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, lines.size(), () -> "a flood of refusals is one log line per 10 s: " + log.list);
            assertTrue(lines.get(0).getFormattedMessage().contains("too many connections"));
            for (Socket s : sockets) {
                s.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (listener.closed.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, listener.closed.get());
            try (Socket again = new Socket("127.0.0.1", port)) {
                again.setSoTimeout(300);
                assertEquals(3, waitFor(listener.opened, 3), "room again once the others closed");
            }
        } finally {
            ingestLog.detachAppender(log);
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static int waitFor(AtomicInteger counter, int value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter.get() < value && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return counter.get();
    }
}
