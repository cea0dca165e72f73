package io.estuary.loadtests.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client side of the plain RTMP handshake (RTMP specification 5.2): sends C0+C1 when connected, waits for
 * S0+S1+S2, answers C2 (an echo of S1), then removes itself and fires {@link #DONE}. The digest variant is not
 * needed: servers, ours included, accept the plain one from any client. Bytes after S2 flow on to the chunk decoder.
 */
final class ClientHandshakeHandler extends ByteToMessageDecoder {
    /** The user event fired once the handshake is complete and chunks may be written. */
    static final Object DONE = new Object() {
        @Override
        public String toString() {
            return "RTMP handshake done";
        }
    };
    private static final int VERSION = 3;
    private static final int PACKET = 1536;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf c0c1 = ctx.alloc().buffer(1 + PACKET);
        c0c1.writeByte(VERSION);
        c0c1.writeInt(0); // our epoch
        c0c1.writeInt(0); // zero: the plain handshake
        byte[] random = new byte[PACKET - 8];
        ThreadLocalRandom.current().nextBytes(random); // no secrecy here; only uniqueness matters
        c0c1.writeBytes(random);
        ctx.writeAndFlush(c0c1);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 1 + 2 * PACKET) {
            return;
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            in.skipBytes(in.readableBytes());
            throw new IllegalStateException("server answered RTMP version " + version);
        }
        ByteBuf c2 = ctx.alloc().buffer(PACKET);
        c2.writeBytes(in, PACKET); // C2 echoes S1
        in.skipBytes(PACKET); // S2: the echo of our C1, nothing to check for a load generator
        ctx.writeAndFlush(c2);
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(DONE);
    }
}
