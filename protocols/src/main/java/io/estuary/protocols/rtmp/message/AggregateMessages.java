package io.estuary.protocols.rtmp.message;

import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Aggregate messages (type 22, RTMP 1.0 section 7.1.6): several audio, video and data messages in one, as FMS,
 * Wowza and some relays send. Each sub-message is an 11-byte header (type, 24-bit length, timestamp with its
 * extension byte, 24-bit stream id; the FLV tag header), its payload, and a 4-byte back pointer (the size of
 * header and payload). A sub-message's time is the aggregate's timestamp plus its offset from the first one.
 */
public final class AggregateMessages {
    private static final int HEADER = 11;
    private static final int BACK_POINTER = 4;

    private AggregateMessages() {
    }

    /**
     * The sub-messages of {@code aggregate}, in order. Their payloads are slices of the aggregate's, not retained:
     * use them before the aggregate is released, and do not release them.
     *
     * @throws RtmpProtocolException when a sub-message claims more bytes than the aggregate holds
     */
    public static List<RtmpMessage> split(RtmpMessage aggregate) {
        ByteBuf in = aggregate.payload();
        List<RtmpMessage> out = new ArrayList<>();
        int at = in.readerIndex();
        int end = in.writerIndex();
        long firstTimestamp = -1;
        while (end - at >= HEADER) {
            int type = in.getUnsignedByte(at);
            int length = in.getUnsignedMedium(at + 1);
            long timestamp = in.getUnsignedMedium(at + 4) | ((long) in.getUnsignedByte(at + 7) << 24);
            if (length > end - at - HEADER) {
                throw new RtmpProtocolException("aggregate sub-message of " + length + " bytes overruns its message ("
                        + (end - at - HEADER) + " left)");
            }
            if (firstTimestamp < 0) {
                firstTimestamp = timestamp;
            }
            long time = aggregate.timestamp() + (timestamp - firstTimestamp);
            out.add(new RtmpMessage(aggregate.csid(), type, aggregate.streamId(), time,
                    in.slice(at + HEADER, length)));
            at += HEADER + length + Math.min(BACK_POINTER, end - at - HEADER - length);
        }
        if (at != end) {
            throw new RtmpProtocolException("aggregate message ends with " + (end - at) + " stray bytes");
        }
        return out;
    }
}
