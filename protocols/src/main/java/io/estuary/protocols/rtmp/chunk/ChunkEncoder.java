package io.estuary.protocols.rtmp.chunk;

import io.estuary.protocols.rtmp.message.MessageType;
import io.estuary.protocols.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits outgoing {@link RtmpMessage}s into chunks. Per chunk stream it remembers the previous header and uses
 * the smallest header type that carries the change (type 1 same stream, type 2 same length and type as well,
 * type 3 same delta too). A Set Chunk Size message takes effect for the messages after it, as on the receiver.
 * Per-connection state: one instance per channel.
 */
public final class ChunkEncoder extends MessageToByteEncoder<RtmpMessage> {
    private static final int EXTENDED = 0xFFFFFF;

    private final Map<Integer, Header> previous = new HashMap<>();
    private int chunkSize = 128;

    public ChunkEncoder() {
        super(RtmpMessage.class);
    }

    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, ByteBuf out) {
        ByteBuf payload = msg.payload();
        int length = payload.readableBytes();
        long timestamp = msg.timestamp();
        Header last = previous.get(msg.csid());
        int fmt;
        long tsField;
        long delta = last == null ? 0 : timestamp - last.timestamp;
        if (last == null || last.streamId != msg.streamId() || delta < 0) {
            fmt = 0;
            tsField = timestamp;
        } else if (last.length != length || last.typeId != msg.typeId()) {
            fmt = 1;
            tsField = delta;
        } else if (last.delta != delta) {
            fmt = 2;
            tsField = delta;
        } else {
            fmt = 3;
            tsField = delta;
        }
        boolean extended = fmt == 3 ? last.extended : tsField >= EXTENDED;
        out.ensureWritable(length + 18 + (length / chunkSize) * 7);
        writeBasicHeader(out, fmt, msg.csid());
        if (fmt <= 2) {
            out.writeMedium(extended ? EXTENDED : (int) tsField);
        }
        if (fmt <= 1) {
            out.writeMedium(length);
            out.writeByte(msg.typeId());
        }
        if (fmt == 0) {
            out.writeIntLE(msg.streamId());
        }
        long extendedValue = fmt == 3 ? (last.extended ? last.extendedValue : 0) : tsField;
        if (extended) {
            out.writeInt((int) extendedValue);
        }
        int offset = payload.readerIndex();
        int remaining = length;
        boolean first = true;
        while (first || remaining > 0) {
            if (!first) {
                writeBasicHeader(out, 3, msg.csid());
                if (extended) {
                    // Continuation chunks repeat the extended timestamp, as the specification, ffmpeg and OBS do.
                    out.writeInt((int) extendedValue);
                }
            }
            int n = Math.min(chunkSize, remaining);
            out.writeBytes(payload, offset, n);
            offset += n;
            remaining -= n;
            first = false;
        }
        previous.put(msg.csid(), new Header(msg.streamId(), length, msg.typeId(), timestamp,
                fmt == 0 ? timestamp : delta, extended, extendedValue));
        if (msg.typeId() == MessageType.SET_CHUNK_SIZE && length >= 4) {
            chunkSize = payload.getInt(payload.readerIndex()) & 0x7FFFFFFF;
        }
    }

    static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (csid < 2 || csid > 65599) {
            throw new IllegalArgumentException("chunk stream id out of range: " + csid);
        }
        if (csid < 64) {
            out.writeByte((fmt << 6) | csid);
        } else if (csid < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte((fmt << 6) | 1);
            out.writeByte((csid - 64) & 0xff);
            out.writeByte((csid - 64) >>> 8);
        }
    }

    private record Header(int streamId, int length, int typeId, long timestamp, long delta, boolean extended,
            long extendedValue) {
    }
}
