package io.estuary.server.http;

import io.estuary.protocols.whip.WhipResponse;
import io.estuary.protocols.whip.WhipService;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP for WHIP (RFC 9725): {@code POST /{app}/{name}/whip} creates a session, {@code PATCH} and {@code DELETE}
 * on the Location it returns ({@code .../whip/{id}}) trickle candidates and end it. The work runs on the WHIP
 * executor, never on the event loop (ice4j sets up an agent synchronously), and the answer is written back on the
 * connection's loop.
 */
final class WhipRoutes {
    private static final Logger log = LoggerFactory.getLogger(WhipRoutes.class);
    private static final Pattern PATH = Pattern.compile("/([^/]+)/([^/]+)/whip(?:/([0-9a-f]{32}))?");

    private final WhipService service;
    private final ResponseWriter writer;
    private final Executor executor;

    /** @param service null when WHIP is disabled: its paths then answer 404 */
    WhipRoutes(WhipService service, ResponseWriter writer, Executor executor) {
        this.service = service;
        this.writer = writer;
        this.executor = executor;
    }

    static boolean handles(String path) {
        return PATH.matcher(path).matches();
    }

    void handle(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, FullHttpRequest request, String path) {
        Matcher m = PATH.matcher(path);
        if (service == null || !m.matches()) {
            writer.writeError(ctx, info, HttpResponseStatus.NOT_FOUND, "WHIP is disabled on this server",
                    CacheRules.noStore());
            return;
        }
        String app = m.group(1);
        String name = m.group(2);
        String id = m.group(3);
        HttpMethod method = request.method();
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (request.content().readableBytes() > WhipService.MAX_BODY) {
            writer.writeError(ctx, info, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "the body is larger than " + WhipService.MAX_BODY + " bytes", CacheRules.noStore());
            return;
        }
        String body = request.content().toString(StandardCharsets.UTF_8);
        if (id == null && method.equals(HttpMethod.POST)) {
            String bearer = bearer(request.headers().get(HttpHeaderNames.AUTHORIZATION));
            InetSocketAddress remote = HttpRouter.connection(ctx).remoteAddress() instanceof InetSocketAddress a
                    ? a : null;
            offLoop(ctx, info, () -> service.offer(app, name, bearer, contentType, body, remote));
        } else if (id != null && method.equals(HttpMethod.DELETE)) {
            offLoop(ctx, info, () -> service.delete(app, name, id));
        } else if (id != null && method.equals(HttpMethod.PATCH)) {
            String ifMatch = request.headers().get(HttpHeaderNames.IF_MATCH);
            offLoop(ctx, info, () -> service.patch(app, name, id, contentType, ifMatch, body));
        } else {
            String allow = id == null ? "POST, OPTIONS" : "PATCH, DELETE, OPTIONS";
            writer.writeWithHeaders(ctx, info, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                    ("use " + allow + "\n").getBytes(StandardCharsets.UTF_8), Map.of("Allow", allow));
        }
    }

    /** The token of {@code Authorization: Bearer TOKEN}; null when absent or of another scheme. */
    static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private void offLoop(ChannelHandlerContext ctx, ResponseWriter.RequestInfo info, Supplier<WhipResponse> work) {
        CompletableFuture<WhipResponse> result;
        try {
            result = CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            writer.writeError(ctx, info, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy: too many WHIP requests",
                    CacheRules.noStore());
            return;
        }
        result.whenComplete((response, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                log.warn("WHIP request failed", error);
                writer.writeError(ctx, info, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error",
                        CacheRules.noStore());
                return;
            }
            writer.writeWithHeaders(ctx, info, HttpResponseStatus.valueOf(response.status()),
                    response.contentType(), response.body().getBytes(StandardCharsets.UTF_8), response.headers());
        }));
    }
}
