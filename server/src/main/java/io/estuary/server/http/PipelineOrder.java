package io.estuary.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 answers pipelined requests in the order they came (RFC 9112, 9.3.2). Some of ours are answered later
 * than others (a blocking playlist waits for its part, a scrape runs off the event loop), so this handler lets one
 * request through at a time: the next is held until the response to the current one has been written. Held
 * requests are bounded; a client pipelining more than that is closed. HTTP/2 streams need none of this.
 */
final class PipelineOrder extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(PipelineOrder.class);
    /** Browsers do not pipeline at all; a client sending this many requests ahead is broken or hostile. */
    static final int MAX_HELD = 16;

    private final ArrayDeque<FullHttpRequest> held = new ArrayDeque<>();
    private boolean inFlight;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!inFlight) {
            inFlight = true;
            ctx.fireChannelRead(request);
            return;
        }
        if (held.size() >= MAX_HELD) {
            ReferenceCountUtil.release(request);
            log.warn("HTTP {}: more than {} pipelined requests waiting; closing", ctx.channel().remoteAddress(),
                    MAX_HELD);
            ctx.close();
            return;
        }
        held.add(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Our responses are whole (FullHttpResponse); a streamed one ends with its LastHttpContent.
        boolean complete = msg instanceof FullHttpResponse
                || (msg instanceof LastHttpContent && !(msg instanceof HttpResponse));
        ctx.write(msg, promise);
        if (complete) {
            FullHttpRequest next = held.poll();
            if (next == null) {
                inFlight = false;
                return;
            }
            // Still in flight: a request arriving meanwhile queues behind this one. Dispatched after the write
            // returns, so the next response can only follow this one on the wire.
            ctx.executor().execute(() -> {
                if (ctx.channel().isActive()) {
                    ctx.fireChannelRead(next);
                } else {
                    ReferenceCountUtil.release(next);
                }
            });
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    private void releaseHeld() {
        for (FullHttpRequest r; (r = held.poll()) != null; ) {
            ReferenceCountUtil.release(r);
        }
    }
}
