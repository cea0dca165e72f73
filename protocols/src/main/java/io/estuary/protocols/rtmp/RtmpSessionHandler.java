package io.estuary.protocols.rtmp;

import io.estuary.media.router.LiveStream;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamBusyException;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.protocols.auth.PublishAuthorizer;
import io.estuary.protocols.auth.PublishDecision;
import io.estuary.protocols.ingest.IngestLog;
import io.estuary.protocols.rtmp.amf.Amf0;
import io.estuary.protocols.rtmp.amf.AmfException;
import io.estuary.protocols.rtmp.chunk.AcknowledgementHandler;
import io.estuary.protocols.rtmp.flv.StreamMetadata;
import io.estuary.protocols.rtmp.message.AggregateMessages;
import io.estuary.protocols.rtmp.message.ControlMessages;
import io.estuary.protocols.rtmp.message.MessageType;
import io.estuary.protocols.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP conversation of one connection: answers the NetConnection and NetStream commands OBS and ffmpeg send
 * (connect, releaseStream, FCPublish, createStream, publish, FCUnpublish, deleteStream, closeStream), handles user
 * control and window messages, and feeds audio, video and metadata into the publish session. Owns every message
 * it reads and releases it. A protocol error closes the connection with one WARN line naming the reason.
 */
final class RtmpSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpSessionHandler.class);

    private final RtmpConfig config;
    private final StreamRegistry registry;
    private final PublishAuthorizer authorizer;
    private final AcknowledgementHandler ack;
    private final RtmpListener listener;
    private String app;
    private int nextStreamId = 1;
    private PublishSession publish;
    private boolean warnedBadData;
    private StreamMetadata pendingMetadata;
    private boolean closing;
    /** Why the server is disconnecting this publisher (takeover, operator), for the unpublish log line. */
    private String disconnectReason;

    RtmpSessionHandler(RtmpConfig config, StreamRegistry registry, PublishAuthorizer authorizer,
            AcknowledgementHandler ack, RtmpListener listener) {
        this.config = config;
        this.registry = registry;
        this.authorizer = authorizer;
        this.ack = ack;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!closing) {
                dispatch(ctx, message);
            }
        } finally {
            message.release();
        }
    }

    private void dispatch(ChannelHandlerContext ctx, RtmpMessage msg) {
        ByteBuf payload = msg.payload();
        switch (msg.typeId()) {
            case MessageType.AUDIO -> {
                if (publish != null) {
                    publish.ingest().onAudio(msg.timestamp(), payload);
                }
            }
            case MessageType.VIDEO -> {
                if (publish != null) {
                    publish.ingest().onVideo(msg.timestamp(), payload);
                }
            }
            case MessageType.COMMAND_AMF0 -> command(ctx, Amf0.readAll(payload), msg.streamId());
            case MessageType.COMMAND_AMF3 -> {
                skipAmf3Prefix(payload);
                command(ctx, Amf0.readAll(payload), msg.streamId());
            }
            case MessageType.DATA_AMF0 -> data(ctx, payload);
            case MessageType.DATA_AMF3 -> {
                skipAmf3Prefix(payload);
                data(ctx, payload);
            }
            case MessageType.USER_CONTROL -> userControl(ctx, payload);
            case MessageType.WINDOW_ACK_SIZE -> {
                if (payload.readableBytes() >= 4) {
                    int size = payload.readInt();
                    if (size > 0) {
                        ack.setWindowSize(size);
                    }
                }
            }
            case MessageType.AGGREGATE -> {
                // Relays bundle media this way; each part is handled as if it had come on its own.
                for (RtmpMessage sub : AggregateMessages.split(msg)) {
                    int type = sub.typeId();
                    if (type == MessageType.AUDIO || type == MessageType.VIDEO || type == MessageType.DATA_AMF0) {
                        dispatch(ctx, sub);
                    }
                }
            }
            default -> {
                // Acknowledgement, Set Peer Bandwidth, shared objects: nothing a publisher needs.
            }
        }
    }

    /** AMF3 command and data messages start with one format byte (0) before AMF0-encoded values. */
    private static void skipAmf3Prefix(ByteBuf payload) {
        if (payload.isReadable() && payload.getByte(payload.readerIndex()) == 0) {
            payload.skipBytes(1);
        }
    }

    private void userControl(ChannelHandlerContext ctx, ByteBuf payload) {
        if (payload.readableBytes() < 6) {
            return;
        }
        int event = payload.readUnsignedShort();
        if (event == MessageType.UC_PING_REQUEST) {
            ctx.writeAndFlush(ControlMessages.userControl(ctx.alloc(), MessageType.UC_PING_RESPONSE,
                    payload.readInt()));
        }
    }

    private void data(List<Object> values) {
        int i = 0;
        if (!values.isEmpty() && "@setDataFrame".equals(values.get(0))) {
            i = 1;
        }
        if (values.size() > i + 1 && "onMetaData".equals(values.get(i))
                && values.get(i + 1) instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            StreamMetadata metadata = StreamMetadata.from((Map<String, Object>) map);
            if (publish != null) {
                publish.ingest().onMetadata(metadata);
            } else {
                pendingMetadata = metadata;
            }
        }
    }

    private void command(ChannelHandlerContext ctx, List<Object> values, int streamId) {
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("command without a name");
        }
        double txn = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
        Channel ch = ctx.channel();
        switch (name) {
            case "connect" -> connect(ch, txn, values.size() > 2 ? values.get(2) : null);
            case "releaseStream" -> CommandWriter.send(ch, CommandWriter.COMMAND_CSID, 0, "_result", txn, null,
                    Amf0.UNDEFINED);
            case "FCPublish" -> CommandWriter.send(ch, CommandWriter.COMMAND_CSID, 0, "onFCPublish", 0.0, null,
                    CommandWriter.info("status", "NetStream.Publish.Start", "FCPublish"));
            case "createStream" -> CommandWriter.send(ch, CommandWriter.COMMAND_CSID, 0, "_result", txn, null,
                    (double) nextStreamId++);
            case "publish" -> publish(ch, values.size() > 3 ? values.get(3) : null, streamId);
            case "FCUnpublish", "deleteStream", "closeStream" ->
                    endPublish(ch, "publisher unpublished (" + name + ")");
            case "_result", "_error", "onStatus", "_checkbw", "getStreamLength" -> {
                // Replies to nothing we asked, or bandwidth probes: ignored.
            }
            default -> {
                if (txn != 0) {
                    CommandWriter.send(ch, CommandWriter.COMMAND_CSID, streamId, "_error", txn, null,
                            CommandWriter.info("error", "NetConnection.Call.Failed",
                                    "unsupported command " + printable(name)));
                }
            }
        }
    }

    private void connect(Channel ch, double txn, Object commandObject) {
        Object appValue = commandObject instanceof Map<?, ?> m ? m.get("app") : null;
        String requested = appValue instanceof String s ? s : "";
        int query = requested.indexOf('?');
        String candidate = (query >= 0 ? requested.substring(0, query) : requested).replaceAll("/+$", "");
        if (!StreamKey.isValidPart(candidate)) {
            CommandWriter.send(ch, CommandWriter.COMMAND_CSID, 0, "_error", txn, null,
                    CommandWriter.info("error", "NetConnection.Connect.Rejected", "invalid application name"))
                    .addListener(ChannelFutureListener.CLOSE);
            closing = true;
            listener.refused(RtmpListener.Refusal.INVALID_APP);
            IngestLog.refused("rtmp", null, remote(ch), "invalid application name " + printable(candidate));
            return;
        }
        app = candidate;
        Object encoding = commandObject instanceof Map<?, ?> m && m.get("objectEncoding") instanceof Double d
                ? d : 0.0;
        ch.write(ControlMessages.windowAckSize(ch.alloc(), config.windowAckSize()));
        ch.write(ControlMessages.setPeerBandwidth(ch.alloc(), config.windowAckSize()));
        ch.write(ControlMessages.setChunkSize(ch.alloc(), config.outChunkSize()));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,5,7,7009");
        properties.put("capabilities", 31.0);
        properties.put("mode", 1.0);
        Map<String, Object> info = CommandWriter.info("status", "NetConnection.Connect.Success",
                "Connection succeeded.");
        info.put("objectEncoding", encoding);
        CommandWriter.send(ch, CommandWriter.COMMAND_CSID, 0, "_result", txn, properties, info);
    }

    private void publish(Channel ch, Object nameValue, int streamId) {
        if (app == null) {
            throw new RtmpProtocolException("publish before connect");
        }
        if (publish != null) {
            throw new RtmpProtocolException("second publish on one connection");
        }
        String publishName = nameValue instanceof String s ? s : "";
        PublishDecision decision = authorizer.authorize(app, publishName);
        if (decision instanceof PublishDecision.Refused refused) {
            refuse(ch, streamId, refused.invalidName() ? "NetStream.Publish.BadName" : "NetStream.Publish.Unauthorized",
                    refused.invalidName() ? RtmpListener.Refusal.INVALID_NAME : RtmpListener.Refusal.UNAUTHORIZED,
                    app + "/" + printable(publishName), refused.reason());
            return;
        }
        PublishDecision.Allowed allowed = (PublishDecision.Allowed) decision;
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        PublisherInfo publisher = new PublisherInfo("rtmp", remote == null ? null : remote.getHostString(),
                remote == null ? 0 : remote.getPort(), allowed.credential());
        LiveStream stream;
        try {
            stream = registry.publish(allowed.key(), publisher, reason -> ch.eventLoop().execute(() -> {
                disconnectReason = reason;
                closing = true;
                ch.close();
            }));
        } catch (StreamBusyException e) {
            refuse(ch, streamId, "NetStream.Publish.BadName", RtmpListener.Refusal.STREAM_BUSY,
                    allowed.key().toString(), allowed.key() + " is already being published");
            return;
        }
        publish = new PublishSession(stream, streamId);
        if (pendingMetadata != null) {
            publish.ingest().onMetadata(pendingMetadata);
            pendingMetadata = null;
        }
        IngestLog.started("rtmp", allowed.key(), remote(ch));
        ch.write(ControlMessages.userControl(ch.alloc(), MessageType.UC_STREAM_BEGIN, streamId));
        CommandWriter.onStatus(ch, streamId, "status", "NetStream.Publish.Start",
                allowed.key() + " is now published");
    }

    private void refuse(Channel ch, int streamId, String code, RtmpListener.Refusal refusal, String stream,
            String reason) {
        CommandWriter.onStatus(ch, streamId, "error", code, reason)
                .addListener(ChannelFutureListener.CLOSE);
        closing = true;
        listener.refused(refusal);
        IngestLog.refused("rtmp", stream, remote(ch), reason);
    }

    private void endPublish(Channel ch, String why) {
        if (publish != null && publish.end()) {
            LiveStream stream = publish.stream();
            IngestLog.stopped("rtmp", stream.key(), remote(ch), disconnectReason != null ? disconnectReason : why,
                    stream.framesReceived(), stream.bytesReceived(),
                    (System.currentTimeMillis() - stream.startedAtMillis()) / 1000);
            if (publish.ingest().droppedFrames() > 0 || publish.ingest().unsupportedFrames() > 0) {
                log.info("RTMP {}: {}: {} frames dropped without codec config, {} of unsupported codecs",
                        remote(ch), stream.key(), publish.ingest().droppedFrames(),
                        publish.ingest().unsupportedFrames());
            }
        }
        // The connection may publish again (an encoder that stops and restarts its output without reconnecting).
        publish = null;
    }

    /**
     * Data messages carry optional metadata (onMetaData, onTextData, cue points): one we cannot parse is logged
     * and skipped, never a reason to drop a publisher whose media is fine.
     */
    private void data(ChannelHandlerContext ctx, ByteBuf payload) {
        List<Object> values;
        try {
            values = Amf0.readAll(payload);
        } catch (AmfException e) {
            if (!warnedBadData) {
                warnedBadData = true;
                log.warn("RTMP {}: skipping a data message that does not parse: {}", ctx.channel().remoteAddress(),
                        e.getMessage());
            }
            return;
        }
        data(values);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endPublish(ctx.channel(), "connection closed");
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            closeWithReason(ctx.channel(), "idle for " + config.idleTimeout());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null
                && !(cause instanceof RtmpProtocolException) ? cause.getCause() : cause;
        String text = reason instanceof RtmpProtocolException || reason instanceof AmfException
                ? reason.getMessage() : reason.toString();
        if (reason instanceof RtmpProtocolException || reason instanceof AmfException) {
            listener.protocolError();
            closeWithReason(ctx.channel(), text);
        } else if (reason instanceof java.io.IOException) {
            closeWithReason(ctx.channel(), text);
        } else {
            if (!closing) {
                log.warn("RTMP {}: closing after an unexpected error", ctx.channel().remoteAddress(), reason);
            }
            closing = true;
            ctx.close();
        }
    }

    private void closeWithReason(Channel ch, String reason) {
        if (!closing) {
            closing = true;
            log.warn("RTMP {}: closing: {}", ch.remoteAddress(), reason);
        }
        ch.close();
    }

    /** A peer as the log lines name it: {@code host:port}. */
    static String remote(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a
                ? a.getHostString() + ":" + a.getPort() : String.valueOf(ch.remoteAddress());
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
