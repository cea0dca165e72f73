package io.estuary.server.http;

import io.estuary.packager.dash.DashConfig;
import io.estuary.packager.hls.HlsResponse;
import io.estuary.packager.hls.HlsStream;
import io.estuary.packager.hls.SegmentChunks;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DASH side of live playback: the MPD, whose UTCTiming names this server's clock by the host the player used,
 * and segments requested while they are being produced, sent part by part as the packager makes them (a DASH
 * low-latency player reads the live-edge segment as it grows). A completed segment is an ordinary media response.
 */
final class DashPlayback {
    private static final Logger log = LoggerFactory.getLogger(DashPlayback.class);

    private final HttpConfig config;
    private final DashConfig dashConfig;
    private final CacheRules cacheRules;
    private final ResponseWriter writer;
    private final HttpObserver observer;

    DashPlayback(HttpConfig config, DashConfig dashConfig, ResponseWriter writer, HttpObserver observer) {
        this.config = config;
        this.dashConfig = dashConfig;
        this.cacheRules = new CacheRules(config);
        this.writer = writer;
        this.observer = observer;
    }

    /** The MPD, once every track has a part: the answer is the packager's, as for the multivariant playlist. */
    CompletableFuture<HlsResponse> manifest(ChannelHandlerContext ctx, FullHttpRequest request, HlsStream hls) {
        return hls.manifest(dashConfig, origin(ctx, request));
    }

    /**
     * A segment: complete, it is sent whole (Content-Length, ETag); being produced (or about to begin), it is
     * streamed, each part flushed as it is made, until its last part.
     */
    void segment(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, HlsStream hls, String path) {
        CompletableFuture<SegmentChunks> first = hls.segmentChunks(path, 0);
        LoopFutures.onLoopCounted(ctx, first, config.blockingTimeout(), observer, (c, error) -> {
            if (error != null || c.refused()) {
                refuse(ctx, info, c, error);
            } else if (c.complete()) {
                writer.writeMedia(ctx, info, c.contentType(), c.chunks(), CacheRules.IMMUTABLE, path);
            } else if (writer.startStream(ctx, info, c.contentType(), CacheRules.IMMUTABLE)) {
                observer.waitStarted();
                writer.streamChunks(ctx, c.chunks());
                new Stream(ctx, info, hls, path, bytes(c)).next(c.nextPart());
            }
        });
    }

    /** One streamed segment: asks the packager for the parts after the last one sent, until the segment ends. */
    private final class Stream implements BiConsumer<SegmentChunks, Throwable> {
        private final ChannelHandlerContext ctx;
        private final ResponseWriter.RequestInfo info;
        private final HlsStream hls;
        private final String path;
        private long sent;

        Stream(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, HlsStream hls, String path, long sent) {
            this.ctx = ctx;
            this.info = info;
            this.hls = hls;
            this.path = path;
            this.sent = sent;
        }

        void next(int fromPart) {
            LoopFutures.onLoop(ctx, hls.segmentChunks(path, fromPart), config.blockingTimeout(), this);
        }

        @Override
        public void accept(SegmentChunks c, Throwable error) {
            if (error != null || c.refused() || !ctx.channel().isActive()) {
                observer.waitEnded();
                if (ctx.channel().isActive()) {
                    log.debug("{}: streaming stopped after {} bytes: {}", path, sent,
                            error != null ? LoopFutures.cause(error).toString() : c.refusal().message());
                }
                writer.abortStream(ctx, info, sent);
                return;
            }
            writer.streamChunks(ctx, c.chunks());
            sent += bytes(c);
            if (c.complete()) {
                observer.waitEnded();
                writer.endStream(ctx, info, sent);
            } else {
                next(c.nextPart());
            }
        }
    }

    private void refuse(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, SegmentChunks c,
            Throwable error) {
        if (error != null) {
            Throwable cause = LoopFutures.cause(error);
            boolean timeout = cause instanceof TimeoutException;
            if (timeout) {
                writer.writeError(ctx, info, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "not available within " + config.blockingTimeout().toMillis() + "ms", CacheRules.noStore());
            } else {
                writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "stream ended", CacheRules.noStore());
            }
            return;
        }
        HlsResponse r = c.refusal();
        boolean overloaded = r.message().startsWith(HlsStream.OVERLOADED);
        HttpResponseStatus status = switch (r.status()) {
            case BAD_REQUEST -> overloaded ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.BAD_REQUEST;
            default -> HttpResponseStatus.NOT_FOUND;
        };
        writer.writeError(ctx, info, status, r.message(), cacheRules.forClass(r.cache()));
    }

    private static long bytes(SegmentChunks c) {
        long n = 0;
        for (ByteBuffer b : c.chunks()) {
            n += b.remaining();
        }
        return n;
    }

    /**
     * The server's origin as this player reaches it (the MPD names the server's clock and its ClearKey license
     * endpoint under it): the Host it sent when that is a plain host, else the address it connected to. https when
     * the listener has TLS or a proxy says so.
     */
    String origin(ChannelHandlerContext ctx, FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null) {
            host = request.headers().get(":authority");
        }
        if (!HostHeader.isPlain(host)) {
            host = ctx.channel().localAddress() instanceof InetSocketAddress a
                    ? hostPort(a) : "localhost:" + config.port();
        }
        boolean https = config.tlsEnabled()
                || "https".equalsIgnoreCase(request.headers().get("X-Forwarded-Proto"));
        return (https ? "https" : "http") + "://" + host;
    }

    private static String hostPort(InetSocketAddress a) {
        String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
