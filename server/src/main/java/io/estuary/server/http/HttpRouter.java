package io.estuary.server.http;

import io.estuary.packager.dash.DashConfig;
import io.estuary.packager.dash.MpdWriter;
import io.estuary.packager.hls.RenderedText;
import io.estuary.server.drm.ClearKeyLicenses;
import io.estuary.server.streams.StreamPackagers;
import io.estuary.protocols.whip.WhipService;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler at the end of every HTTP pipeline (HTTP/1.1, and each HTTP/2 stream): classifies a request by
 * its path and hands it to playback, health, metrics, the API or the console. Work that walks every stream (a
 * scrape, an API listing) runs on the admin executor, never on the event loop; the response is written back on
 * the connection's event loop.
 */
@ChannelHandler.Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final ResponseWriter writer;
    private final CacheRules cacheRules;
    private final LivePlayback playback;
    private final HealthChecks health;
    private final AdminRoutes admin;
    private final Executor adminExecutor;
    private final ClearKeyLicenses licenses;
    private final WhipRoutes whip;

    public HttpRouter(StreamPackagers packagers, HttpConfig config, DashConfig dashConfig, HttpObserver observer,
            HealthChecks health, AdminRoutes admin, Executor adminExecutor, ClearKeyLicenses licenses,
            WhipService whipService, Executor whipExecutor) {
        this.writer = new ResponseWriter(config.corsAllowOrigin(), observer);
        this.cacheRules = new CacheRules(config);
        this.playback = new LivePlayback(packagers, config, dashConfig, writer, observer);
        this.health = health;
        this.admin = admin;
        this.adminExecutor = adminExecutor;
        this.licenses = licenses;
        this.whip = new WhipRoutes(whipService, writer, whipExecutor);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        // Operator paths first: a stream cannot shadow them (the apps "api" and "console" are taken).
        Route route = route(path);
        LivePath live = route == Route.OTHER ? LivePath.parse(path) : null;
        if (live != null) {
            route = LivePlayback.route(live, LivePlayback.rawQuery(request.uri()));
        }
        ResponseWriter.RequestInfo info = ResponseWriter.RequestInfo.of(request, route);
        if (!request.decoderResult().isSuccess()) {
            writer.writeError(ctx, info, HttpResponseStatus.BAD_REQUEST, "malformed request", CacheRules.noStore());
            return;
        }
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            writer.writePreflight(ctx, info);
            return;
        }
        if (route == Route.WHIP) {
            whip.handle(ctx, info, request, path); // POST, PATCH and DELETE: it answers 405 itself
            return;
        }
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        // The DRM endpoints check their own methods (POST for licenses) and answer 405 with the right one.
        if (!read && route != Route.DRM && !(route == Route.API && method.equals(HttpMethod.DELETE))) {
            writer.writeError(ctx, info, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    route == Route.API ? "use GET, HEAD or DELETE" : "use GET or HEAD", CacheRules.noStore());
            return;
        }
        switch (route) {
            case PLAYLIST, BLOCKING_PLAYLIST, MEDIA, MANIFEST -> playback.handle(ctx, info, request, live);
            case TIME -> writer.write(ctx, info, HttpResponseStatus.OK, "text/plain; charset=utf-8",
                    MpdWriter.dateTime(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII),
                    CacheRules.noStore());
            case HEALTH -> health(ctx, info, path);
            case METRICS -> offLoop(ctx, info, () -> scrape(info), body -> writer.writeRendered(ctx, info,
                    admin.scrapeContentType(), body, CacheRules.noStore()));
            case API -> api(ctx, info, request, path);
            case DRM -> drm(ctx, info, request, path);
            case CONSOLE -> console(ctx, info, path);
            case WHIP -> throw new IllegalStateException("answered above");
            case OTHER -> writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "not found: " + path,
                    cacheRules.negative());
        }
    }

    /** The TCP connection a request came on: an HTTP/2 stream's parent, or the channel itself. */
    static Channel connection(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof Http2StreamChannel stream ? stream.parent() : ctx.channel();
    }

    private static Route route(String path) {
        if (path.equals("/healthz") || path.equals("/readyz")) {
            return Route.HEALTH;
        }
        if (path.equals(MpdWriter.CLOCK_PATH)) {
            return Route.TIME; // the clock DASH players synchronise with (the MPD's UTCTiming)
        }
        if (path.equals("/metrics")) {
            return Route.METRICS;
        }
        if (ClearKeyLicenses.handles(path)) {
            return Route.DRM;
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            return Route.API;
        }
        if (path.equals("/") || path.equals("/index.html") || path.startsWith("/console/")) {
            return Route.CONSOLE;
        }
        if (WhipRoutes.handles(path)) {
            return Route.WHIP;
        }
        return Route.OTHER;
    }

    private void health(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, String path) {
        String notReady = path.equals("/readyz") ? health.notReadyReason() : null;
        HttpResponseStatus status = notReady == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        String body = notReady == null ? (path.equals("/readyz") ? "ready\n" : "ok\n") : "not ready: " + notReady + "\n";
        writer.write(ctx, info, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8),
                CacheRules.noStore());
    }

    private void api(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, FullHttpRequest request,
            String path) {
        Channel ch = connection(ctx);
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null) {
            host = request.headers().get(":authority");
        }
        AdminRoutes.ApiRequest apiRequest = new AdminRoutes.ApiRequest(request.method().name(), path,
                request.headers().get(HttpHeaderNames.AUTHORIZATION),
                ch.remoteAddress() instanceof InetSocketAddress a ? a : null, host);
        offLoop(ctx, info, () -> admin.api(apiRequest), response -> {
            if (response.wwwAuthenticate() != null) {
                writer.writeUnauthorized(ctx, info, response.json(), response.wwwAuthenticate());
            } else {
                writer.writeJson(ctx, info, HttpResponseStatus.valueOf(response.status()), response.json());
            }
        });
    }

    /** Key delivery: an in-memory lookup and a small JSON body, answered here on the event loop. */
    private void drm(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, FullHttpRequest request,
            String path) {
        byte[] body = new byte[Math.min(request.content().readableBytes(), ClearKeyLicenses.MAX_BODY + 1)];
        request.content().getBytes(request.content().readerIndex(), body);
        ClearKeyLicenses.Response r = licenses.handle(new ClearKeyLicenses.Request(request.method().name(), path,
                body, request.headers().get(HttpHeaderNames.AUTHORIZATION),
                connection(ctx).remoteAddress() instanceof InetSocketAddress a ? a : null));
        if (r.wwwAuthenticate() != null) {
            writer.writeUnauthorized(ctx, info, r.body(), r.wwwAuthenticate());
        } else {
            writer.write(ctx, info, HttpResponseStatus.valueOf(r.status()), r.contentType(), r.body(),
                    CacheRules.noStore());
        }
    }

    private void console(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, String path) {
        Optional<AdminRoutes.Asset> asset = admin.consoleAsset(path);
        if (asset.isEmpty()) {
            writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "not found: " + path, cacheRules.negative());
            return;
        }
        AdminRoutes.Asset a = asset.get();
        writer.writeRendered(ctx, info, a.contentType(), a.body(), a.cacheControl());
    }

    /** A scrape, compressed here on the admin thread when asked for (Prometheus asks): not on the event loop. */
    private RenderedText scrape(ResponseWriter.RequestInfo info) {
        RenderedText body = new RenderedText(admin.scrape());
        if (info.acceptsGzip()) {
            body.gzip();
        }
        return body;
    }

    /** Runs {@code work} on the admin executor and writes its result back on the connection's event loop. */
    private <T> void offLoop(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, Supplier<T> work,
            java.util.function.Consumer<T> respond) {
        CompletableFuture<T> result;
        try {
            result = CompletableFuture.supplyAsync(work, adminExecutor);
        } catch (RejectedExecutionException e) {
            writer.writeError(ctx, info, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy: too many admin requests",
                    CacheRules.noStore());
            return;
        }
        result.whenComplete((value, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                log.warn("{} request failed", info.route().label(), error);
                writer.writeError(ctx, info, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error",
                        CacheRules.noStore());
            } else {
                respond.accept(value);
            }
        }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
