package io.estuary.protocols.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builders for the protocol control and user control messages the server sends. They always travel on chunk
 * stream 2 and message stream 0, as the specification requires.
 */
public final class ControlMessages {
    public static final int CONTROL_CSID = 2;

    private ControlMessages() {
    }

    public static RtmpMessage setChunkSize(ByteBufAllocator alloc, int size) {
        return int32(alloc, MessageType.SET_CHUNK_SIZE, size);
    }

    public static RtmpMessage acknowledgement(ByteBufAllocator alloc, long sequenceNumber) {
        return int32(alloc, MessageType.ACKNOWLEDGEMENT, (int) sequenceNumber);
    }

    public static RtmpMessage windowAckSize(ByteBufAllocator alloc, int size) {
        return int32(alloc, MessageType.WINDOW_ACK_SIZE, size);
    }

    /** Limit type 2 (dynamic): the peer treats it as hard the first time. */
    public static RtmpMessage setPeerBandwidth(ByteBufAllocator alloc, int size) {
        ByteBuf buf = alloc.buffer(5);
        buf.writeInt(size).writeByte(2);
        return new RtmpMessage(CONTROL_CSID, MessageType.SET_PEER_BANDWIDTH, 0, 0, buf);
    }

    public static RtmpMessage userControl(ByteBufAllocator alloc, int event, int value) {
        ByteBuf buf = alloc.buffer(6);
        buf.writeShort(event).writeInt(value);
        return new RtmpMessage(CONTROL_CSID, MessageType.USER_CONTROL, 0, 0, buf);
    }

    private static RtmpMessage int32(ByteBufAllocator alloc, int type, int value) {
        ByteBuf buf = alloc.buffer(4);
        buf.writeInt(value);
        return new RtmpMessage(CONTROL_CSID, type, 0, 0, buf);
    }
}
