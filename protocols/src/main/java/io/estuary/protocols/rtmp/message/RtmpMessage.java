package io.estuary.protocols.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One complete RTMP message. It owns its payload: whoever takes it from the pipeline and does not pass it on
 * releases it.
 *
 * @param csid      the chunk stream it travelled (or is to travel) on
 * @param typeId    the message type id ({@link MessageType})
 * @param streamId  the message stream id (0 for control and NetConnection messages)
 * @param timestamp the 32-bit RTMP timestamp in milliseconds, as on the wire (not unwrapped)
 */
public final class RtmpMessage extends DefaultByteBufHolder {
    private final int csid;
    private final int typeId;
    private final int streamId;
    private final long timestamp;

    public RtmpMessage(int csid, int typeId, int streamId, long timestamp, ByteBuf payload) {
        super(payload);
        this.csid = csid;
        this.typeId = typeId;
        this.streamId = streamId;
        this.timestamp = timestamp & 0xFFFFFFFFL;
    }

    public int csid() {
        return csid;
    }

    public int typeId() {
        return typeId;
    }

    public int streamId() {
        return streamId;
    }

    public long timestamp() {
        return timestamp;
    }

    public ByteBuf payload() {
        return content();
    }

    @Override
    public String toString() {
        return "RtmpMessage[csid=" + csid + " type=" + typeId + " stream=" + streamId + " ts=" + timestamp
                + " len=" + (refCnt() > 0 ? content().readableBytes() : -1) + "]";
    }
}
