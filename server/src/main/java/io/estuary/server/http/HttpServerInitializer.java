package io.estuary.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Sets up a connection of the HTTP listener. With TLS, ALPN picks h2 or http/1.1. Without TLS, HTTP/1.1 is
 * spoken, and HTTP/2 in clear text is accepted both by upgrade and by prior knowledge (replicas pulling from an
 * origin use h2c). Both protocols end in the same {@link HttpRouter}.
 */
public final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext sslContext;
    private final HttpPipelines pipelines;
    private final long idleSeconds;

    public HttpServerInitializer(SslContext sslContext, HttpRouter handler, HttpConfig config) {
        this.sslContext = sslContext;
        this.pipelines = new HttpPipelines(handler);
        this.idleSeconds = Math.max(1, config.idleTimeout().toSeconds());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS), new IdleCloser());
        if (sslContext != null) {
            p.addLast(sslContext.newHandler(ch.alloc()), new AlpnHandler());
        } else {
            configureCleartext(p);
        }
    }

    private void configureCleartext(ChannelPipeline p) {
        HttpServerCodec codec = pipelines.newHttp1Codec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(pipelines.newHttp2FrameCodec(), pipelines.newHttp2Multiplexer())
                        : null, HttpPipelines.MAX_REQUEST_BODY);
        p.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, pipelines.newHttp2Initializer()));
        // Reached only by HTTP/1.1 requests that did not upgrade: finish the HTTP/1.1 pipeline, then replay.
        p.addLast(new SimpleChannelInboundHandler<HttpMessage>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, HttpMessage msg) {
                ChannelPipeline pipeline = ctx.pipeline();
                pipelines.addHttp1Handlers(pipeline, ctx.name());
                pipeline.remove(this);
                pipeline.fireChannelRead(ReferenceCountUtil.retain(msg));
            }
        });
    }

    private final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
        AlpnHandler() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline p = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                p.addLast(pipelines.newHttp2FrameCodec(), pipelines.newHttp2Multiplexer());
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                p.addLast(pipelines.newHttp1Codec());
                pipelines.addHttp1Handlers(p, null);
            } else {
                throw new IllegalStateException("unknown ALPN protocol: " + protocol);
            }
        }
    }
}
