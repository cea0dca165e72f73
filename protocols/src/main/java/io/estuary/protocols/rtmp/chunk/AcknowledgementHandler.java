package io.estuary.protocols.rtmp.chunk;

import io.estuary.protocols.rtmp.message.ControlMessages;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts the bytes received and sends an Acknowledgement each time another window's worth has arrived
 * (RTMP 5.4.3): some encoders stop sending when they never see one. Sits between the chunk encoder and decoder,
 * so the acknowledgement it writes goes through the encoder.
 */
public final class AcknowledgementHandler extends ChannelInboundHandlerAdapter {
    private long received;
    private long lastAcknowledged;
    private int windowSize;

    public AcknowledgementHandler(int windowSize) {
        setWindowSize(windowSize);
    }

    /** The peer's Window Acknowledgement Size message changes the window. */
    public void setWindowSize(int windowSize) {
        if (windowSize <= 0) {
            throw new IllegalArgumentException("window size must be positive: " + windowSize);
        }
        this.windowSize = windowSize;
    }

    public long bytesReceived() {
        return received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            received += buf.readableBytes();
            if (received - lastAcknowledged >= windowSize) {
                lastAcknowledged = received;
                // The sequence number is the byte count so far, modulo 2^32.
                ctx.writeAndFlush(ControlMessages.acknowledgement(ctx.alloc(), received))
                        .addListener(io.netty.channel.ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
        }
        ctx.fireChannelRead(msg);
    }
}
