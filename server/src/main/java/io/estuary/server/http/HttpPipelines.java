package io.estuary.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/** The handler chains of each HTTP protocol version, with the limits that bound what a client can send. */
final class HttpPipelines {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    /** Playback requests have no body; WHIP offers later stay well below this. */
    static final int MAX_REQUEST_BODY = 64 * 1024;
    private static final int MAX_CONCURRENT_STREAMS = 256;

    private final HttpRouter handler;

    HttpPipelines(HttpRouter handler) {
        this.handler = handler;
    }

    HttpServerCodec newHttp1Codec() {
        return new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192);
    }

    /** Adds what follows the HTTP/1.1 codec, after {@code baseName} (or at the end when null). */
    void addHttp1Handlers(ChannelPipeline p, String baseName) {
        ChannelHandler[] handlers = {
            new HttpServerKeepAliveHandler(), new HttpObjectAggregator(MAX_REQUEST_BODY), new PipelineOrder(),
            handler
        };
        if (baseName == null) {
            p.addLast(handlers);
            return;
        }
        String after = baseName;
        for (ChannelHandler h : handlers) {
            String name = h.getClass().getSimpleName() + "#" + System.identityHashCode(h);
            p.addAfter(after, name, h);
            after = name;
        }
    }

    Http2FrameCodec newHttp2FrameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_SIZE))
                .build();
    }

    Http2MultiplexHandler newHttp2Multiplexer() {
        return new Http2MultiplexHandler(newHttp2StreamInitializer());
    }

    /** For prior-knowledge h2c: the frame codec and the multiplexer together. */
    ChannelInitializer<io.netty.channel.Channel> newHttp2Initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(io.netty.channel.Channel ch) {
                ch.pipeline().addLast(newHttp2FrameCodec(), newHttp2Multiplexer());
            }
        };
    }

    private ChannelInitializer<Http2StreamChannel> newHttp2StreamInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(MAX_REQUEST_BODY), new PipelineOrder(), handler);
            }
        };
    }
}
