package io.estuary.loadtests.rtmp;

import io.estuary.protocols.rtmp.chunk.ChunkDecoder;
import io.estuary.protocols.rtmp.chunk.ChunkEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Publishes many streams over RTMP from one JVM by replaying one in-memory FLV file on each of them, in real time.
 * All connections share a small event loop group (one thread carries dozens of streams: the work per tag is a
 * chunk copy), and the file's bytes are shared, so a stream costs a socket and a few counters.
 */
public final class RtmpLoadPublisher implements AutoCloseable {
    /** Largest message the server may send us: command answers, a few hundred bytes in practice. */
    private static final int MAX_INBOUND_MESSAGE = 64 << 10;
    private static final int MAX_CHUNK_STREAMS = 16;

    private final FlvFile flv;
    private final EventLoopGroup group;
    private final Duration startTimeout;
    private final List<Publication> publications = new ArrayList<>();
    private final List<Thread> eventLoopThreads = new CopyOnWriteArrayList<>();
    private volatile boolean aggregates;

    /**
     * @param flv          the file every stream replays
     * @param threads      event loop threads for all the connections
     * @param startTimeout how long a stream may take from connecting to NetStream.Publish.Start
     */
    public RtmpLoadPublisher(FlvFile flv, int threads, Duration startTimeout) {
        this.flv = Objects.requireNonNull(flv, "flv");
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
        ThreadFactory names = new DefaultThreadFactory("rtmp-load", true);
        // Remember our threads, so that a benchmark running the server in the same JVM can tell their CPU apart.
        ThreadFactory remembering = task -> {
            Thread t = names.newThread(task);
            eventLoopThreads.add(t);
            return t;
        };
        this.group = new MultiThreadIoEventLoopGroup(threads, remembering, NioIoHandler.newFactory());
    }

    /**
     * From now on, new publications send the tags that are due together as one aggregate message (type 22), as
     * FMS, Wowza and relays do, instead of one audio or video message per tag.
     */
    public RtmpLoadPublisher sendAggregates(boolean on) {
        aggregates = on;
        return this;
    }

    /** CPU time the publisher's event loop threads have used so far, in nanoseconds. */
    public long cpuNanos() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : eventLoopThreads) {
            long cpu = bean.getThreadCpuTime(t.getId());
            total += Math.max(0, cpu); // -1 once a thread has ended
        }
        return total;
    }

    /**
     * Connects and starts publishing {@code rtmp://host:port/app/name}; returns at once. Watch
     * {@link Publication#started()} for the outcome.
     */
    public Publication publish(String host, int port, String app, String name) {
        return publish(host, port, app, name, Duration.ZERO);
    }

    /** As {@link #publish(String, int, String, String)}, connecting after {@code delay} (scheduled, not slept). */
    public synchronized Publication publish(String host, int port, String app, String name, Duration delay) {
        String tcUrl = "rtmp://" + host + ":" + port + "/" + app;
        PublisherHandler handler = new PublisherHandler(flv, app, name, tcUrl, startTimeout.toMillis(), aggregates);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(startTimeout.toMillis(), 30_000))
                // A keyframe of a 2.5 Mb/s stream is ~100 KiB; above 1 MiB queued the server is not keeping up.
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("handshake", new ClientHandshakeHandler());
                        ch.pipeline().addLast("chunk-encoder", new ChunkEncoder());
                        ch.pipeline().addLast("chunk-decoder", new ChunkDecoder(MAX_INBOUND_MESSAGE,
                                MAX_CHUNK_STREAMS));
                        ch.pipeline().addLast("publisher", handler);
                    }
                });
        Publication publication = new Publication(name, handler);
        group.schedule(() -> publication.connect(() -> bootstrap.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                handler.started.completeExceptionally(f.cause());
            }
        }).channel()), delay.toNanos(), TimeUnit.NANOSECONDS);
        publications.add(publication);
        return publication;
    }

    public synchronized List<Publication> publications() {
        return List.copyOf(publications);
    }

    public FlvFile flv() {
        return flv;
    }

    /** Stops every publication, then the event loops; bounded to a few seconds. */
    @Override
    public void close() {
        for (Publication p : publications()) {
            p.stop();
        }
        group.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
