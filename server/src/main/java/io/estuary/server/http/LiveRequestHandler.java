package io.estuary.server.http;

import io.estuary.packager.hls.CacheClass;
import io.estuary.packager.hls.HlsResponse;
import io.estuary.packager.hls.HlsStream;
import io.estuary.packager.hls.PlaylistQuery;
import io.estuary.server.console.ConsoleAssets;
import io.estuary.server.streams.StreamPackagers;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves live playback: playlists and media objects of the streams this node packages. Shared by every
 * connection (HTTP/1.1 and each HTTP/2 stream): it keeps no per-request state. A request that must wait
 * (blocking playlist reload, the preload-hinted part) holds no thread: the packager completes a future on the
 * stream's executor and the response is written from the connection's event loop.
 */
@ChannelHandler.Sharable
public final class LiveRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(LiveRequestHandler.class);

    private final StreamPackagers packagers;
    private final HttpConfig config;
    private final CacheRules cacheRules;
    private final ResponseWriter writer;
    private final ConsoleAssets console = ConsoleAssets.load();

    public LiveRequestHandler(StreamPackagers packagers, HttpConfig config) {
        this.packagers = packagers;
        this.config = config;
        this.cacheRules = new CacheRules(config);
        this.writer = new ResponseWriter(config.corsAllowOrigin());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        ResponseWriter.RequestInfo info = ResponseWriter.RequestInfo.of(request);
        if (!request.decoderResult().isSuccess()) {
            writer.writeError(ctx, info, HttpResponseStatus.BAD_REQUEST, "malformed request", CacheRules.noStore());
            return;
        }
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            writer.writePreflight(ctx, info);
            return;
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            writer.writeError(ctx, info, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or HEAD",
                    CacheRules.noStore());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (ConsoleAssets.handles(path)) {
            Optional<ConsoleAssets.Asset> asset = console.find(path);
            if (asset.isPresent()) {
                writer.write(ctx, info, HttpResponseStatus.OK, asset.get().contentType(), asset.get().body(),
                        asset.get().cacheControl());
            } else {
                writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "not found: " + path, cacheRules.negative());
            }
            return;
        }
        if (path.equals("/healthz")) {
            writer.write(ctx, info, HttpResponseStatus.OK, "text/plain; charset=utf-8",
                    "ok\n".getBytes(StandardCharsets.UTF_8), CacheRules.noStore());
            return;
        }
        LivePath live = LivePath.parse(path);
        if (live == null) {
            writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "not found: " + path, cacheRules.negative());
            return;
        }
        Optional<HlsStream> hls = packagers.hls(live.key());
        if (hls.isEmpty()) {
            writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "stream " + live.key() + " is not live",
                    cacheRules.negative());
            return;
        }
        CompletableFuture<HlsResponse> answer;
        switch (live.kind()) {
            case MULTIVARIANT -> answer = hls.get().multivariantPlaylist();
            case MEDIA_PLAYLIST -> {
                PlaylistQuery query;
                try {
                    query = PlaylistQuery.parse(rawQuery(request.uri()));
                } catch (IllegalArgumentException e) {
                    writer.writeError(ctx, info, HttpResponseStatus.BAD_REQUEST, e.getMessage(), CacheRules.noStore());
                    return;
                }
                answer = hls.get().mediaPlaylist(live.resource(), query);
            }
            case MEDIA_OBJECT -> answer = hls.get().mediaObject(live.resource());
            default -> throw new IllegalStateException(live.kind().toString());
        }
        respondWhenReady(ctx, info, answer, live.kind() == LivePath.Kind.MEDIA_OBJECT ? live.resource() : null);
    }

    private void respondWhenReady(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info,
            CompletableFuture<HlsResponse> answer, String objectPath) {
        if (answer.isDone()) {
            respond(ctx, info, answer.getNow(null), null, objectPath);
            return;
        }
        CompletableFuture<HlsResponse> bounded =
                answer.orTimeout(config.blockingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        // The waiting future is the packager's; when the client goes away, cancel it so the packager forgets it.
        // Removed again once answered, so a long keep-alive connection does not collect listeners.
        io.netty.channel.ChannelFutureListener onClose = f -> answer.cancel(false);
        ctx.channel().closeFuture().addListener(onClose);
        bounded.whenComplete((response, error) -> {
            ctx.channel().closeFuture().removeListener(onClose);
            if (ctx.executor().inEventLoop()) {
                respond(ctx, info, response, error, objectPath);
            } else {
                ctx.executor().execute(() -> respond(ctx, info, response, error, objectPath));
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, HlsResponse response,
            Throwable error, String objectPath) {
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                writer.writeError(ctx, info, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "not available within " + config.blockingTimeout().toMillis() + "ms", CacheRules.noStore());
            } else if (!(cause instanceof java.util.concurrent.CancellationException)) {
                log.warn("request failed in the packager", cause);
                writer.writeError(ctx, info, HttpResponseStatus.SERVICE_UNAVAILABLE, "stream unavailable",
                        CacheRules.noStore());
            } else {
                writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "stream ended", cacheRules.negative());
            }
            return;
        }
        switch (response.status()) {
            case OK -> {
                String cacheControl = cacheRules.forClass(response.cache());
                if (response.cache() == CacheClass.IMMUTABLE) {
                    writer.writeMedia(ctx, info, response.contentType(), response.chunks(), cacheControl, objectPath);
                } else {
                    writer.write(ctx, info, HttpResponseStatus.OK, response.contentType(), response.chunks(),
                            cacheControl);
                }
            }
            case BAD_REQUEST -> {
                // The packager bounds its waiting requests; being over that bound is our load, not the client's fault.
                boolean overloaded = response.message().startsWith(HlsStream.OVERLOADED);
                writer.writeError(ctx, info, overloaded ? HttpResponseStatus.SERVICE_UNAVAILABLE
                        : HttpResponseStatus.BAD_REQUEST, response.message(), CacheRules.noStore());
            }
            case NOT_FOUND -> writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, response.message(),
                    cacheRules.negative());
        }
    }

    private static String rawQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
