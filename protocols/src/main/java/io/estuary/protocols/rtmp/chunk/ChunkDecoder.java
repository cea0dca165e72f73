package io.estuary.protocols.rtmp.chunk;

import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.estuary.protocols.rtmp.message.MessageType;
import io.estuary.protocols.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles RTMP messages from chunks (RTMP specification 5.3). Set Chunk Size and Abort act on this layer and
 * are consumed here; every other message goes up as an {@link RtmpMessage} that the next handler owns.
 *
 * <p>Each chunk is read in three steps (basic header, message header with its extended timestamp, payload), and
 * a step only runs once all of its bytes are there, so no partial header state is ever kept.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {
    /** The largest chunk size a peer may ask for: 31 bits (the top bit of the field must be zero). */
    public static final int MAX_CHUNK_SIZE = 0x7FFFFFFF;
    private static final int DEFAULT_CHUNK_SIZE = 128;
    private static final int EXTENDED = 0xFFFFFF;

    private enum State {
        BASIC_HEADER,
        MESSAGE_HEADER,
        PAYLOAD,
        BAD_MESSAGE
    }

    private final int maxMessageSize;
    private final int maxChunkStreams;
    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private State state = State.BASIC_HEADER;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private int fmt;
    private int csid;
    private ChunkStream current;
    /**
     * Bytes held in partial messages across all chunk streams. One message may be interleaved with another (audio
     * inside a long video message), so two maximum messages are allowed; more is a client pinning memory.
     */
    private long heldBytes;

    /**
     * @param maxMessageSize  longest message accepted; a longer declared length closes the connection
     * @param maxChunkStreams how many chunk streams may be open at once (each may hold a partial message)
     */
    public ChunkDecoder(int maxMessageSize, int maxChunkStreams) {
        if (maxMessageSize < 1 || maxChunkStreams < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxMessageSize = maxMessageSize;
        this.maxChunkStreams = maxChunkStreams;
    }

    /** The chunk size the peer currently uses for the chunks it sends. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (true) {
                switch (state) {
                    case BASIC_HEADER:
                        if (!readBasicHeader(in)) {
                            return;
                        }
                        state = State.MESSAGE_HEADER;
                        break;
                    case MESSAGE_HEADER:
                        if (!readMessageHeader(in)) {
                            return;
                        }
                        state = State.PAYLOAD;
                        break;
                    case PAYLOAD:
                        if (!readPayload(ctx, in, out)) {
                            return;
                        }
                        state = State.BASIC_HEADER;
                        break;
                    case BAD_MESSAGE:
                        in.skipBytes(in.readableBytes());
                        return;
                    default:
                        throw new IllegalStateException(state.name());
                }
            }
        } catch (RtmpProtocolException e) {
            state = State.BAD_MESSAGE;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private boolean readBasicHeader(ByteBuf in) {
        if (!in.isReadable()) {
            return false;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        int low = first & 0x3f;
        int length = low == 0 ? 2 : low == 1 ? 3 : 1;
        if (in.readableBytes() < length) {
            return false;
        }
        in.skipBytes(1);
        fmt = first >>> 6;
        if (low == 0) {
            csid = 64 + in.readUnsignedByte();
        } else if (low == 1) {
            csid = 64 + in.readUnsignedByte() + (in.readUnsignedByte() << 8);
        } else {
            csid = low;
        }
        return true;
    }

    private boolean readMessageHeader(ByteBuf in) {
        ChunkStream cs = streams.get(csid);
        if (cs == null) {
            if (fmt != 0) {
                // Types 1-3 refer to an earlier header of this chunk stream; there is none.
                throw new RtmpProtocolException("chunk type " + fmt + " on new chunk stream " + csid);
            }
            if (streams.size() >= maxChunkStreams) {
                throw new RtmpProtocolException("more than " + maxChunkStreams + " open chunk streams");
            }
        }
        int headerLength = fmt == 0 ? 11 : fmt == 1 ? 7 : fmt == 2 ? 3 : 0;
        if (in.readableBytes() < headerLength) {
            return false;
        }
        int idx = in.readerIndex();
        int tsField = headerLength > 0 ? in.getUnsignedMedium(idx) : -1;
        boolean extended = headerLength > 0 ? tsField == EXTENDED : cs.extended;
        if (in.readableBytes() < headerLength + (extended ? 4 : 0)) {
            return false;
        }
        if (cs == null) {
            cs = new ChunkStream();
            streams.put(csid, cs);
        }
        boolean continuation = cs.partial != null;
        if (continuation && fmt != 3) {
            throw new RtmpProtocolException("chunk type " + fmt + " interrupts a message on chunk stream " + csid);
        }
        if (fmt == 0) {
            cs.length = in.getUnsignedMedium(idx + 3);
            cs.typeId = in.getUnsignedByte(idx + 6);
            cs.streamId = in.getIntLE(idx + 7);
        } else if (fmt == 1) {
            cs.length = in.getUnsignedMedium(idx + 3);
            cs.typeId = in.getUnsignedByte(idx + 6);
        }
        in.skipBytes(headerLength);
        long tsValue = extended ? in.readUnsignedInt() : tsField;
        cs.extended = extended;
        if (fmt == 0) {
            cs.timestamp = tsValue;
            cs.delta = tsValue;
        } else if (fmt == 1 || fmt == 2) {
            cs.delta = tsValue;
            cs.timestamp = (cs.timestamp + tsValue) & 0xFFFFFFFFL;
        } else if (!continuation) {
            // A type 3 chunk that starts a message repeats the previous delta (section 5.3.1.2.4).
            cs.timestamp = (cs.timestamp + cs.delta) & 0xFFFFFFFFL;
        }
        if (!continuation) {
            if (cs.length > maxMessageSize) {
                throw new RtmpProtocolException("message length " + cs.length + " exceeds the limit of "
                        + maxMessageSize + " bytes (chunk stream " + csid + ")");
            }
            cs.received = 0;
        }
        current = cs;
        return true;
    }

    private boolean readPayload(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ChunkStream cs = current;
        int wanted = Math.min(chunkSize, cs.length - cs.received);
        if (in.readableBytes() < wanted) {
            return false;
        }
        if (cs.partial == null) {
            if (wanted == cs.length) {
                // The whole message is in this chunk: hand out a slice of the input, no copy.
                complete(ctx, cs, in.readRetainedSlice(wanted), out);
                return true;
            }
            // Grow on demand rather than trusting the declared length with an up-front allocation.
            cs.partial = ctx.alloc().buffer(Math.min(cs.length, Math.max(chunkSize, 4096)), cs.length);
        }
        if (heldBytes + wanted > 2L * maxMessageSize) {
            throw new RtmpProtocolException("partial messages hold more than " + 2L * maxMessageSize
                    + " bytes across " + streams.size() + " chunk streams");
        }
        cs.partial.writeBytes(in, wanted);
        cs.received += wanted;
        heldBytes += wanted;
        if (cs.received == cs.length) {
            ByteBuf payload = cs.partial;
            cs.partial = null;
            heldBytes -= cs.received;
            complete(ctx, cs, payload, out);
        }
        return true;
    }

    private void complete(ChannelHandlerContext ctx, ChunkStream cs, ByteBuf payload, List<Object> out) {
        cs.received = 0;
        switch (cs.typeId) {
            case MessageType.SET_CHUNK_SIZE -> {
                try {
                    if (payload.readableBytes() < 4) {
                        throw new RtmpProtocolException("Set Chunk Size message of " + payload.readableBytes()
                                + " bytes");
                    }
                    long size = payload.readUnsignedInt();
                    if (size == 0 || size > MAX_CHUNK_SIZE) {
                        throw new RtmpProtocolException("invalid chunk size " + size);
                    }
                    chunkSize = (int) size;
                } finally {
                    payload.release();
                }
            }
            case MessageType.ABORT -> {
                try {
                    if (payload.readableBytes() < 4) {
                        throw new RtmpProtocolException("Abort message of " + payload.readableBytes() + " bytes");
                    }
                    ChunkStream aborted = streams.get(payload.readInt());
                    if (aborted != null && aborted.partial != null) {
                        heldBytes -= aborted.received;
                        aborted.partial.release();
                        aborted.partial = null;
                        aborted.received = 0;
                    }
                } finally {
                    payload.release();
                }
            }
            default -> out.add(new RtmpMessage(csid, cs.typeId, cs.streamId, cs.timestamp, payload));
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            releasePartials();
        }
    }

    private void releasePartials() {
        for (ChunkStream cs : streams.values()) {
            if (cs.partial != null) {
                cs.partial.release();
                cs.partial = null;
            }
        }
        heldBytes = 0;
    }

    /** What the previous chunk of one chunk stream said; types 1 to 3 inherit from it. */
    private static final class ChunkStream {
        long timestamp;
        long delta;
        boolean extended;
        int length;
        int typeId;
        int streamId;
        int received;
        ByteBuf partial;
    }
}
