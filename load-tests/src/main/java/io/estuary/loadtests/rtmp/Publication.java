package io.estuary.loadtests.rtmp;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** One stream being published by {@link RtmpLoadPublisher}: its start, its counters, and a way to stop it. */
public final class Publication {
    private final String name;
    private final PublisherHandler handler;
    private Channel channel; // null until connected; guarded by this
    private long connectNanos;
    private boolean stopped;

    Publication(String name, PublisherHandler handler) {
        this.name = name;
        this.handler = handler;
    }

    /** Opens the connection, unless the publication was stopped before its turn came. */
    synchronized void connect(Supplier<Channel> connector) {
        if (stopped) {
            handler.started.completeExceptionally(new IllegalStateException(name + ": stopped before connecting"));
            return;
        }
        connectNanos = System.nanoTime();
        channel = connector.get();
    }

    public String name() {
        return name;
    }

    /** Completes when the server has answered NetStream.Publish.Start; fails if it refuses, closes or times out. */
    public CompletableFuture<Void> started() {
        return handler.started;
    }

    /** When the connection was opened, on the {@link System#nanoTime()} clock (0 before). */
    public synchronized long connectNanos() {
        return connectNanos;
    }

    public synchronized boolean isActive() {
        return channel != null && channel.isActive();
    }

    /** Audio and video messages sent so far (sequence headers included, once). */
    public long tagsSent() {
        return handler.tagsSent;
    }

    /** Media payload bytes sent so far (RTMP chunk headers not counted). */
    public long bytesSent() {
        return handler.bytesSent;
    }

    /** The latest a tag went out after its due time: scheduler jitter, or a stall behind a full socket. */
    public long maxLateMs() {
        return handler.maxLateMs;
    }

    /** How often the replay paused because the server did not read fast enough. */
    public int stalls() {
        return handler.stalls;
    }

    /** Why the connection ended (null while it is open). */
    public String closeReason() {
        return isActive() ? null : handler.closeReason;
    }

    /** Unpublishes (deleteStream) and closes, or cancels a connection not made yet; returns at once. */
    public synchronized void stop() {
        stopped = true;
        if (channel != null) {
            channel.eventLoop().execute(handler::stop);
        }
    }

    @Override
    public String toString() {
        return name + "[tags=" + tagsSent() + " bytes=" + bytesSent() + " maxLateMs=" + maxLateMs()
                + " stalls=" + stalls() + (isActive() ? "" : " closed: " + handler.closeReason) + "]";
    }
}
