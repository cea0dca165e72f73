package io.estuary.protocols.rtmp.message;

import io.estuary.protocols.rtmp.amf.Amf0;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** AMF0 command messages (type 20), as both ends of a connection send them. */
public final class CommandMessages {

    private CommandMessages() {
    }

    /** A command message of {@code values} (name, transaction id, command object, arguments), AMF0-encoded. */
    public static RtmpMessage amf0(ByteBufAllocator alloc, int csid, int streamId, Object... values) {
        ByteBuf buf = alloc.buffer();
        try {
            Amf0.write(buf, values);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return new RtmpMessage(csid, MessageType.COMMAND_AMF0, streamId, 0, buf);
    }
}
