package io.estuary.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineOrderTest {

    /** Takes requests and answers only when told to, like a blocking playlist request. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<FullHttpRequest> received = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add((FullHttpRequest) msg);
        }
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    private static void answer(EmbeddedChannel ch, FullHttpRequest request) {
        request.release();
        ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ch.runPendingTasks();
    }

    @Test
    void oneRequestAtATimeInArrivalOrder() {
        Recorder app = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new PipelineOrder(), app);
        ch.writeInbound(get("/1"), get("/2"), get("/3"));
        assertEquals(List.of("/1"), app.received.stream().map(FullHttpRequest::uri).toList());
        answer(ch, app.received.get(0));
        assertEquals("/2", app.received.get(1).uri());
        ch.writeInbound(get("/4"));
        assertEquals(2, app.received.size(), "a request arriving meanwhile waits its turn");
        answer(ch, app.received.get(1));
        answer(ch, app.received.get(2));
        assertEquals(List.of("/1", "/2", "/3", "/4"), app.received.stream().map(FullHttpRequest::uri).toList());
        answer(ch, app.received.get(3));
        ch.writeInbound(get("/5"));
        assertEquals(5, app.received.size(), "idle again: straight through");
        answer(ch, app.received.get(4));
        ch.finishAndReleaseAll();
    }

    @Test
    void tooManyHeldRequestsCloseTheConnectionAndHeldOnesAreReleased() {
        Recorder app = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new PipelineOrder(), app);
        List<FullHttpRequest> sent = new ArrayList<>();
        for (int i = 0; i <= PipelineOrder.MAX_HELD + 1; i++) {
            FullHttpRequest r = get("/" + i);
            sent.add(r);
            ch.writeInbound(r);
        }
        assertFalse(ch.isActive(), "closed after more than MAX_HELD waiting requests");
        assertEquals(1, app.received.size());
        app.received.get(0).release();
        for (FullHttpRequest r : sent) {
            assertEquals(0, r.refCnt(), r.uri() + " released");
        }
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }
}
