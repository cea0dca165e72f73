package io.estuary.loadtests.rtmp;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/** One stream being published by {@link RtmpLoadPublisher}: its start, its counters, and a way to stop it. */
public final class Publication {
    private final String name;
    private final Channel channel;
    private final PublisherHandler handler;

    Publication(String name, Channel channel, PublisherHandler handler) {
        this.name = name;
        this.channel = channel;
        this.handler = handler;
    }

    public String name() {
        return name;
    }

    /** Completes when the server has answered NetStream.Publish.Start; fails if it refuses, closes or times out. */
    public CompletableFuture<Void> started() {
        return handler.started;
    }

    public boolean isActive() {
        return channel.isActive();
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
        return channel.isActive() ? null : handler.closeReason;
    }

    /** Unpublishes (deleteStream) and closes; returns at once. */
    public void stop() {
        channel.eventLoop().execute(handler::stop);
    }

    @Override
    public String toString() {
        return name + "[tags=" + tagsSent() + " bytes=" + bytesSent() + " maxLateMs=" + maxLateMs()
                + " stalls=" + stalls() + (isActive() ? "" : " closed: " + handler.closeReason) + "]";
    }
}
