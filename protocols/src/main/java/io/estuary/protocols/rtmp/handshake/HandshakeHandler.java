package io.estuary.protocols.rtmp.handshake;

import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Server side of the RTMP handshake (RTMP specification 5.2). Reads C0+C1, answers S0+S1+S2 at once (the order
 * every client accepts), reads C2 and removes itself; bytes after C2 go on to the chunk decoder. When C1 carries
 * a valid digest the answer is signed as a Flash Media Server would; otherwise S2 echoes C1. A client that does not
 * finish within the timeout is closed.
 */
public final class HandshakeHandler extends ByteToMessageDecoder {
    private static final int RTMP_VERSION = 3;
    private static final Random RANDOM = new SecureRandom();

    private enum State {
        C0_C1,
        C2,
        DONE,
        BAD_MESSAGE
    }

    private final Duration timeout;
    private final Runnable onComplete;
    private State state = State.C0_C1;
    private ScheduledFuture<?> timer;
    /** Where C1 carries the client's digest, or -1 for the plain handshake; found once, used for S1 and S2. */
    private int clientDigestOffset = -1;

    /**
     * @param timeout    how long a client may take to complete the handshake
     * @param onComplete runs on the event loop once the handshake is done (before the remaining bytes flow on)
     */
    public HandshakeHandler(Duration timeout, Runnable onComplete) {
        this.timeout = timeout;
        this.onComplete = onComplete;
    }

    /** Whether the client used the digest handshake. */
    public boolean isDigest() {
        return clientDigestOffset >= 0;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            if (state != State.DONE && ctx.channel().isActive()) {
                ctx.fireExceptionCaught(new RtmpProtocolException("handshake not completed within " + timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case C0_C1 -> {
                if (in.readableBytes() < 1 + HandshakeDigest.PACKET_SIZE) {
                    if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != RTMP_VERSION) {
                        fail(in, "unsupported RTMP version " + in.getUnsignedByte(in.readerIndex())
                                + " (encrypted RTMPE is not supported)");
                    }
                    return;
                }
                int version = in.readUnsignedByte();
                if (version != RTMP_VERSION) {
                    fail(in, "unsupported RTMP version " + version);
                }
                byte[] c1 = new byte[HandshakeDigest.PACKET_SIZE];
                in.readBytes(c1);
                ByteBuf reply = ctx.alloc().buffer(1 + 2 * HandshakeDigest.PACKET_SIZE);
                reply.writeByte(RTMP_VERSION);
                reply.writeBytes(serverPacket(c1));
                reply.writeBytes(response(c1));
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                state = State.C2;
            }
            case C2 -> {
                if (in.readableBytes() < HandshakeDigest.PACKET_SIZE) {
                    return;
                }
                // C2 echoes S1 (or is signed); clients differ too much for a check to be worth a refusal.
                in.skipBytes(HandshakeDigest.PACKET_SIZE);
                state = State.DONE;
                if (timer != null) {
                    timer.cancel(false);
                }
                onComplete.run();
                ctx.pipeline().remove(this);
            }
            default -> in.skipBytes(in.readableBytes());
        }
    }

    private void fail(ByteBuf in, String reason) {
        state = State.BAD_MESSAGE;
        in.skipBytes(in.readableBytes());
        throw new RtmpProtocolException(reason);
    }

    private byte[] serverPacket(byte[] c1) {
        byte[] s1 = new byte[HandshakeDigest.PACKET_SIZE];
        RANDOM.nextBytes(s1);
        Arrays.fill(s1, 0, 4, (byte) 0); // our epoch starts now
        clientDigestOffset = HandshakeDigest.findClientDigest(c1);
        if (clientDigestOffset < 0) {
            Arrays.fill(s1, 4, 8, (byte) 0); // plain handshake: the zero field must be zero
            return s1;
        }
        // A server version in bytes 4-7 tells the client to check the digest (FMS 3.5.1.1, as others send).
        s1[4] = 3;
        s1[5] = 5;
        s1[6] = 1;
        s1[7] = 1;
        HandshakeDigest.signServerPacket(s1);
        return s1;
    }

    private byte[] response(byte[] c1) {
        if (clientDigestOffset < 0) {
            return c1.clone();
        }
        int offset = clientDigestOffset;
        byte[] s2 = new byte[HandshakeDigest.PACKET_SIZE];
        RANDOM.nextBytes(s2);
        HandshakeDigest.signResponse(s2, Arrays.copyOfRange(c1, offset, offset + HandshakeDigest.DIGEST_LENGTH));
        return s2;
    }
}
