package io.estuary.protocols.rtmp;

import io.estuary.media.router.StreamRegistry;
import io.estuary.protocols.auth.PublishAuthorizer;
import io.estuary.protocols.ingest.IngestLog;
import io.estuary.protocols.rtmp.chunk.AcknowledgementHandler;
import io.estuary.protocols.rtmp.chunk.ChunkDecoder;
import io.estuary.protocols.rtmp.chunk.ChunkEncoder;
import io.estuary.protocols.rtmp.handshake.HandshakeHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline of one RTMP connection: idle timer, handshake (removes itself), chunk encoder, acknowledgement
 * counter, chunk decoder, session. The acknowledgement counter sits above the encoder so that what it writes is
 * chunked.
 */
public final class RtmpServerInitializer extends ChannelInitializer<SocketChannel> {
    /** Chunk streams a client may have open at once; OBS and ffmpeg use fewer than ten. */
    static final int MAX_CHUNK_STREAMS = 64;
    /** A connection flood must not become a log flood: one refusal line per this interval, with a count. */
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RtmpConfig config;
    private final StreamRegistry registry;
    private final PublishAuthorizer authorizer;
    private final RtmpListener listener;
    /** Connections open now, against {@link RtmpConfig#maxConnections()}. */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastRefusalLogNanos = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
    private final AtomicLong unloggedRefusals = new AtomicLong();

    public RtmpServerInitializer(RtmpConfig config, StreamRegistry registry, PublishAuthorizer authorizer) {
        this(config, registry, authorizer, RtmpListener.NONE);
    }

    public RtmpServerInitializer(RtmpConfig config, StreamRegistry registry, PublishAuthorizer authorizer,
            RtmpListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (open.incrementAndGet() > config.maxConnections()) {
            // Refused before the handshake: nothing has been allocated for this connection yet.
            open.decrementAndGet();
            listener.refused(RtmpListener.Refusal.TOO_MANY_CONNECTIONS);
            logRefusal(ch);
            ch.close();
            return;
        }
        listener.connectionOpened();
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            listener.connectionClosed();
        });
        ch.config().setTcpNoDelay(true);
        AcknowledgementHandler ack = new AcknowledgementHandler(config.windowAckSize());
        RtmpSessionHandler session = new RtmpSessionHandler(config, registry, authorizer, ack, listener);
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("handshake", new HandshakeHandler(config.handshakeTimeout(), () -> { }));
        p.addLast("chunk-encoder", new ChunkEncoder());
        p.addLast("ack", ack);
        p.addLast("chunk-decoder", new ChunkDecoder(config.maxMessageSize(), MAX_CHUNK_STREAMS));
        p.addLast("session", session);
    }

    private void logRefusal(SocketChannel ch) {
        long now = System.nanoTime();
        long last = lastRefusalLogNanos.get();
        if (now - last < REFUSAL_LOG_INTERVAL_NANOS || !lastRefusalLogNanos.compareAndSet(last, now)) {
            unloggedRefusals.incrementAndGet();
            return;
        }
        long more = unloggedRefusals.getAndSet(0);
        IngestLog.refused("rtmp", null, RtmpSessionHandler.remote(ch),
                "too many connections (estuary.rtmp.max-connections = " + config.maxConnections() + ")"
                        + (more > 0 ? "; " + more + " more refused since the last such line" : ""));
    }
}
