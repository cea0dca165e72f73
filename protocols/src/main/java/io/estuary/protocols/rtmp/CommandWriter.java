package io.estuary.protocols.rtmp;

import io.estuary.protocols.rtmp.message.CommandMessages;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes AMF0 command replies (on chunk stream 3, where clients expect NetConnection traffic). */
final class CommandWriter {
    static final int COMMAND_CSID = 3;
    static final int STREAM_CSID = 5;

    private CommandWriter() {
    }

    static ChannelFuture send(Channel channel, int csid, int streamId, Object... values) {
        return channel.writeAndFlush(CommandMessages.amf0(channel.alloc(), csid, streamId, values));
    }

    static ChannelFuture onStatus(Channel channel, int streamId, String level, String code, String description) {
        return send(channel, STREAM_CSID, streamId, "onStatus", 0.0, null, info(level, code, description));
    }

    static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }
}
