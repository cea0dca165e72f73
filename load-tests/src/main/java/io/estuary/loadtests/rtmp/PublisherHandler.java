package io.estuary.loadtests.rtmp;

import io.estuary.protocols.rtmp.amf.Amf0;
import io.estuary.protocols.rtmp.message.CommandMessages;
import io.estuary.protocols.rtmp.message.ControlMessages;
import io.estuary.protocols.rtmp.message.MessageType;
import io.estuary.protocols.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The publishing side of one RTMP connection: after the handshake, sets the chunk size, then connect,
 * createStream and publish, each waiting for its answer; on NetStream.Publish.Start it sends the file's
 * onMetaData and replays the FLV tags in real time, looping with continuous timestamps.
 *
 * <p>Pacing runs on the channel's event loop through {@code schedule}: every wake-up sends the tags that are due
 * and schedules the next one, so one thread carries many publishers and never sleeps. When the socket's outbound
 * buffer is over its high water mark the replay pauses until the channel is writable again (what a real encoder
 * does is drop; for a load generator a stall is the honest signal, and it is counted).
 */
final class PublisherHandler extends ChannelInboundHandlerAdapter {
    static final int CHUNK_SIZE = 4096;
    private static final int COMMAND_CSID = 3;
    private static final int DATA_CSID = 4;
    private static final int VIDEO_CSID = 6;
    private static final int AUDIO_CSID = 7;
    private static final double TXN_CONNECT = 1;
    private static final double TXN_CREATE_STREAM = 2;
    private static final double TXN_PUBLISH = 3;

    private final FlvFile flv;
    private final String app;
    private final String name;
    private final String tcUrl;
    private final long startTimeoutMs;
    /** Send the tags that are due together as one aggregate message (type 22), as relays do. */
    private final boolean aggregates;
    final CompletableFuture<Void> started = new CompletableFuture<>();
    // Written only on the event loop, read by whoever reports: single writer, so volatile is enough.
    volatile long tagsSent;
    volatile long bytesSent;
    volatile long maxLateMs;
    volatile int stalls;
    volatile String closeReason;

    private Channel channel;
    private int streamId;
    private long startNanos;
    private final long firstTimestamp;
    private int index;
    private long loop;
    private boolean replaying;
    private boolean paused;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> deadline;
    private ByteBuf aggregate;
    private long aggregateTime;

    PublisherHandler(FlvFile flv, String app, String name, String tcUrl, long startTimeoutMs, boolean aggregates) {
        this.aggregates = aggregates;
        this.flv = flv;
        this.app = app;
        this.name = name;
        this.tcUrl = tcUrl;
        this.startTimeoutMs = startTimeoutMs;
        // The replay starts at 0 whatever the file's first timestamp (ffmpeg's can start late after an edit).
        this.firstTimestamp = flv.tags().stream().mapToLong(FlvFile.Tag::timestamp).min().orElse(0);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        deadline = ctx.executor().schedule(() -> fail("not publishing after " + startTimeoutMs + " ms"),
                startTimeoutMs, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeHandler.DONE) {
            // Set Chunk Size first: every message after it, connect included, travels in 4 KiB chunks.
            channel.write(ControlMessages.setChunkSize(channel.alloc(), CHUNK_SIZE));
            Map<String, Object> connect = new LinkedHashMap<>();
            connect.put("app", app);
            connect.put("type", "nonprivate");
            connect.put("flashVer", "FMLE/3.0 (compatible; estuary-load)");
            connect.put("tcUrl", tcUrl);
            command(0, "connect", TXN_CONNECT, connect);
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ByteBuf payload = message.payload();
            if (message.typeId() == MessageType.COMMAND_AMF0) {
                onCommand(Amf0.readAll(payload));
            } else if (message.typeId() == MessageType.USER_CONTROL && payload.readableBytes() >= 6
                    && payload.readUnsignedShort() == MessageType.UC_PING_REQUEST) {
                channel.writeAndFlush(ControlMessages.userControl(channel.alloc(), MessageType.UC_PING_RESPONSE,
                        payload.readInt()));
            }
            // Window and bandwidth messages: a publisher receives a few hundred bytes, never a window's worth.
        } finally {
            message.release();
        }
    }

    private void onCommand(List<Object> values) {
        String command = values.isEmpty() ? "" : String.valueOf(values.get(0));
        double txn = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
        switch (command) {
            case "_result" -> {
                if (txn == TXN_CONNECT) {
                    command(0, "createStream", TXN_CREATE_STREAM, null);
                } else if (txn == TXN_CREATE_STREAM && values.size() > 3 && values.get(3) instanceof Double id) {
                    streamId = id.intValue();
                    command(streamId, "publish", TXN_PUBLISH, null, name, "live");
                }
            }
            case "_error" -> fail("_error: " + (values.size() > 3 ? values.get(3) : values));
            case "onStatus" -> {
                Object info = values.size() > 3 ? values.get(3) : null;
                Object code = info instanceof Map<?, ?> m ? m.get("code") : null;
                if ("NetStream.Publish.Start".equals(code)) {
                    startReplay();
                } else if (info instanceof Map<?, ?> m && "error".equals(m.get("level"))) {
                    fail(code + ": " + m.get("description"));
                }
            }
            default -> {
                // onBWDone, onFCPublish and the like: nothing a publisher must answer.
            }
        }
    }

    private void command(int msid, Object... values) {
        channel.writeAndFlush(CommandMessages.amf0(channel.alloc(), COMMAND_CSID, msid, values));
    }

    private void startReplay() {
        if (replaying) {
            return;
        }
        replaying = true;
        deadline.cancel(false);
        ByteBuf meta = channel.alloc().buffer();
        byte[] onMetaData = flv.metadata();
        if (onMetaData != null) {
            Amf0.write(meta, "@setDataFrame");
            meta.writeBytes(onMetaData); // already "onMetaData" and its array, as AMF0
        } else {
            Amf0.write(meta, "@setDataFrame", "onMetaData", Map.of());
        }
        channel.writeAndFlush(new RtmpMessage(DATA_CSID, MessageType.DATA_AMF0, streamId, 0, meta));
        startNanos = System.nanoTime();
        started.complete(null);
        pump();
    }

    /** Sends every tag that is due, then schedules itself for the next one. Runs on the event loop only. */
    private void pump() {
        next = null;
        if (!channel.isActive()) {
            return;
        }
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        List<FlvFile.Tag> tags = flv.tags();
        boolean wrote = false;
        while (true) {
            if (!channel.isWritable()) {
                paused = true;
                stalls++;
                break;
            }
            FlvFile.Tag tag = tags.get(index);
            long due = loop * flv.loopDurationMs() + tag.timestamp() - firstTimestamp;
            if (due > elapsedMs) {
                next = channel.eventLoop().schedule(this::pump, due - elapsedMs, TimeUnit.MILLISECONDS);
                break;
            }
            // The sequence headers go out once; a repeat on every loop would read as a configuration change.
            if (!tag.config() || loop == 0) {
                boolean video = tag.type() == FlvFile.VIDEO;
                if (aggregates) {
                    if (aggregate == null) {
                        aggregate = channel.alloc().buffer();
                        aggregateTime = due;
                    }
                    appendSubMessage(aggregate, tag, due);
                } else {
                    ByteBuf payload = Unpooled.wrappedBuffer(tag.data(), tag.offset(), tag.length());
                    channel.write(new RtmpMessage(video ? VIDEO_CSID : AUDIO_CSID,
                            video ? MessageType.VIDEO : MessageType.AUDIO, streamId, due, payload));
                }
                tagsSent++;
                bytesSent += tag.length();
                wrote = true;
            }
            maxLateMs = Math.max(maxLateMs, elapsedMs - due);
            if (++index == tags.size()) {
                index = 0;
                loop++;
            }
        }
        if (aggregate != null) {
            channel.write(new RtmpMessage(VIDEO_CSID, MessageType.AGGREGATE, streamId, aggregateTime, aggregate));
            aggregate = null;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** An FLV tag as an aggregate's sub-message: tag header, data, and the back pointer (header + data size). */
    private static void appendSubMessage(ByteBuf out, FlvFile.Tag tag, long time) {
        out.writeByte(tag.type() == FlvFile.VIDEO ? MessageType.VIDEO : MessageType.AUDIO);
        out.writeMedium(tag.length());
        out.writeMedium((int) (time & 0xFFFFFF));
        out.writeByte((int) (time >>> 24) & 0xFF);
        out.writeMedium(0);
        out.writeBytes(tag.data(), tag.offset(), tag.length());
        out.writeInt(11 + tag.length());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (paused && ctx.channel().isWritable()) {
            paused = false;
            pump();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Ends the publication politely (deleteStream), then closes. Runs on the event loop. */
    void stop() {
        if (channel.isActive() && replaying) {
            closeReason = "stopped";
            command(0, "deleteStream", 0.0, null, (double) streamId);
        }
        channel.close();
    }

    private void fail(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        started.completeExceptionally(new IllegalStateException(name + ": " + reason));
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (next != null) {
            next.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (closeReason == null) {
            closeReason = "closed by the server";
        }
        started.completeExceptionally(new IllegalStateException(name + ": " + closeReason));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
    }
}
