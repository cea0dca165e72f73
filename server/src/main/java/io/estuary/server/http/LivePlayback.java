package io.estuary.server.http;

import io.estuary.packager.dash.DashConfig;
import io.estuary.packager.hls.HlsResponse;
import io.estuary.packager.hls.HlsStream;
import io.estuary.packager.hls.ObjectPath;
import io.estuary.packager.hls.PlaylistQuery;
import io.estuary.server.streams.StreamPackagers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves live playback: playlists and media objects of the streams this node packages. Shared by every
 * connection (HTTP/1.1 and each HTTP/2 stream): it keeps no per-request state. A request that must wait
 * (blocking playlist reload, the preload-hinted part) holds no thread: the packager completes a future on the
 * stream's executor and the response is written from the connection's event loop.
 */
final class LivePlayback {
    private static final Logger log = LoggerFactory.getLogger(LivePlayback.class);

    private final StreamPackagers packagers;
    private final HttpConfig config;
    private final CacheRules cacheRules;
    private final ResponseWriter writer;
    private final HttpObserver observer;
    private final DashPlayback dash;

    LivePlayback(StreamPackagers packagers, HttpConfig config, DashConfig dashConfig, ResponseWriter writer,
            HttpObserver observer) {
        this.dash = new DashPlayback(config, dashConfig, writer, observer);
        this.packagers = packagers;
        this.config = config;
        this.cacheRules = new CacheRules(config);
        this.writer = writer;
        this.observer = observer;
    }

    /** The metrics route of a live path: a playlist, a playlist with delivery directives, or a media object. */
    static Route route(LivePath live, String rawQuery) {
        return switch (live.kind()) {
            case MULTIVARIANT -> Route.PLAYLIST;
            case MEDIA_PLAYLIST -> rawQuery.contains("_HLS_") ? Route.BLOCKING_PLAYLIST : Route.PLAYLIST;
            case MEDIA_OBJECT -> Route.MEDIA;
            case MPD -> Route.MANIFEST;
        };
    }

    void handle(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, FullHttpRequest request, LivePath live) {
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
                packagers.viewers().seen(live.key(), viewerId(ctx, request), System.currentTimeMillis());
                PlaylistQuery query;
                try {
                    query = PlaylistQuery.parse(rawQuery(request.uri()));
                } catch (IllegalArgumentException e) {
                    writer.writeError(ctx, info, HttpResponseStatus.BAD_REQUEST, e.getMessage(), CacheRules.noStore());
                    return;
                }
                answer = hls.get().mediaPlaylist(live.resource(), query);
            }
            case MEDIA_OBJECT -> {
                if (ObjectPath.parse(live.resource()).kind() == ObjectPath.Kind.SEGMENT) {
                    dash.segment(ctx, info, hls.get(), live.resource());
                    return;
                }
                answer = hls.get().mediaObject(live.resource());
            }
            case MPD -> {
                packagers.viewers().seen(live.key(), viewerId(ctx, request), System.currentTimeMillis());
                answer = dash.manifest(ctx, request, hls.get());
            }
            default -> throw new IllegalStateException(live.kind().toString());
        }
        respondWhenReady(ctx, info, answer, live.kind() == LivePath.Kind.MEDIA_OBJECT ? live.resource() : null);
    }

    private void respondWhenReady(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info,
            CompletableFuture<HlsResponse> answer, String objectPath) {
        LoopFutures.onLoopCounted(ctx, answer, config.blockingTimeout(), observer,
                (response, error) -> respond(ctx, info, response, error, objectPath));
    }

    private void respond(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, HlsResponse response,
            Throwable error, String objectPath) {
        if (error != null) {
            Throwable cause = LoopFutures.cause(error);
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
                if (response.rendered() != null) {
                    writer.writeRendered(ctx, info, response.contentType(), response.rendered(), cacheControl);
                } else {
                    writer.writeMedia(ctx, info, response.contentType(), response.chunks(), cacheControl, objectPath);
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

    /**
     * Who reloads a playlist: the client address and its User-Agent. Not the connection: a browser spreads one
     * player's reloads over several HTTP/1.1 connections, and its audio and video playlists too.
     */
    private static String viewerId(ChannelHandlerContext ctx, FullHttpRequest request) {
        Channel ch = HttpRouter.connection(ctx);
        String host = ch.remoteAddress() instanceof InetSocketAddress a ? a.getHostString() : "?";
        return host + '\n' + request.headers().get(HttpHeaderNames.USER_AGENT, "");
    }

    static String rawQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }
}
