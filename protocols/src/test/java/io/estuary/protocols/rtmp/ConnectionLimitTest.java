package io.estuary.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** The connection limit turns the surplus away at accept, and the listener sees every open, close and refusal. */
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
        try {
            for (int i = 0; i < 2; i++) {
                sockets.add(new Socket("127.0.0.1", port));
            }
            try (Socket third = new Socket("127.0.0.1", port)) {
                third.setSoTimeout(5000);
                assertEquals(-1, third.getInputStream().read(), "the third connection is closed by the server");
            }
            assertEquals(2, listener.opened.get());
            assertEquals(1, listener.refused.get());
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
