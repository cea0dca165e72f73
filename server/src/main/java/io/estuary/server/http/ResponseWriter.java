package io.estuary.server.http;

import io.estuary.packager.hls.RenderedText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes one response with the headers every response of ours carries: CORS, cache rules, a strong ETag (and 304
 * when the client has it), gzip for text when asked, no body for HEAD. Bodies are wrapped, never copied.
 */
final class ResponseWriter {
    private static final int GZIP_MIN_BYTES = 512;

    private final String corsAllowOrigin;
    private final HttpObserver observer;

    ResponseWriter(String corsAllowOrigin, HttpObserver observer) {
        this.corsAllowOrigin = corsAllowOrigin;
        this.observer = observer;
    }

    /**
     * The facts of the request that shape the response, and what the metrics need of it.
     *
     * @param route       what kind of request this is (a metrics label)
     * @param startNanos  {@link System#nanoTime()} when the request arrived
     */
    record RequestInfo(HttpMethod method, boolean keepAlive, String ifNoneMatch, boolean acceptsGzip, Route route,
            long startNanos) {

        static RequestInfo of(io.netty.handler.codec.http.HttpRequest request, Route route) {
            HttpHeaders h = request.headers();
            String acceptEncoding = h.get(HttpHeaderNames.ACCEPT_ENCODING, "");
            return new RequestInfo(request.method(), HttpUtil.isKeepAlive(request),
                    h.get(HttpHeaderNames.IF_NONE_MATCH), acceptEncoding.contains("gzip"), route, System.nanoTime());
        }

        RequestInfo withRoute(Route newRoute) {
            return new RequestInfo(method, keepAlive, ifNoneMatch, acceptsGzip, newRoute, startNanos);
        }
    }

    /** Writes a text or small body (messages, JSON, console files): strong ETag over the bytes, gzip when asked. */
    void write(ChannelHandlerContext ctx, RequestInfo request, HttpResponseStatus status, String contentType,
            byte[] body, String cacheControl) {
        writeText(ctx, request, status, contentType, new RenderedText(body), status.code() == 200, cacheControl);
    }

    /**
     * Writes a body rendered once for every client (a playlist of one snapshot): its validator and its gzip
     * encoding are not computed again per request.
     */
    void writeRendered(ChannelHandlerContext ctx, RequestInfo request, String contentType, RenderedText body,
            String cacheControl) {
        writeText(ctx, request, HttpResponseStatus.OK, contentType, body, true, cacheControl);
    }

    /** @param validated whether the response carries the body's ETag (a 200); the gzip variant gets its own */
    private void writeText(ChannelHandlerContext ctx, RequestInfo request, HttpResponseStatus status,
            String contentType, RenderedText body, boolean validated, String cacheControl) {
        boolean gzip = isText(contentType) && request.acceptsGzip() && body.bytes().remaining() >= GZIP_MIN_BYTES;
        String etag = validated ? body.etag() + (gzip ? "-gz" : "") : null;
        if (notModified(ctx, request, etag, cacheControl)) {
            return;
        }
        ByteBuf content = Unpooled.wrappedBuffer((gzip ? body.gzip() : body.bytes()).duplicate());
        FullHttpResponse response = response(request, status, content, content.readableBytes());
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (gzip) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        if (isText(contentType)) {
            h.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        finish(ctx, request, response, etag, cacheControl);
    }

    /**
     * Writes a media object from its shared read-only chunks, without copying them: the socket gets the very
     * buffers the packager keeps (a segment as its parts, in order).
     *
     * @param immutableName the object's path: our URLs never name different bytes (DESIGN.md), so the path is a
     *                      strong validator and the body need not be hashed on every request
     */
    void writeMedia(ChannelHandlerContext ctx, RequestInfo request, String contentType, List<ByteBuffer> chunks,
            String cacheControl, String immutableName) {
        int length = length(chunks);
        String etag = immutableName.replace('/', '-') + "-" + Integer.toHexString(length);
        if (notModified(ctx, request, etag, cacheControl)) {
            return;
        }
        FullHttpResponse response = response(request, HttpResponseStatus.OK, wrap(chunks), length);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        finish(ctx, request, response, etag, cacheControl);
    }

    /**
     * Starts a response whose body follows piece by piece ({@link #streamChunks}, {@link #endStream}): a segment
     * still being produced. Chunked transfer on HTTP/1.1, DATA frames on HTTP/2. No ETag: the length is not known
     * yet (the URL names the final bytes, so the caching is still the immutable one). A HEAD gets the headers only.
     *
     * @return false when no body follows (HEAD, or the client is gone): the response is then complete
     */
    boolean startStream(ChannelHandlerContext ctx, RequestInfo request, String contentType, String cacheControl) {
        if (!ctx.channel().isActive()) {
            return false;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        h.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        addCors(h);
        HttpUtil.setTransferEncodingChunked(response, true);
        HttpUtil.setKeepAlive(response, request.keepAlive());
        ctx.write(response, ctx.voidPromise());
        if (request.method().equals(HttpMethod.HEAD)) {
            endStream(ctx, request, 0);
            return false;
        }
        return true;
    }

    /** Sends the next pieces of a streamed body, as they are (wrapped, not copied), and flushes them at once. */
    void streamChunks(ChannelHandlerContext ctx, List<ByteBuffer> chunks) {
        if (chunks.isEmpty()) {
            ctx.flush();
            return;
        }
        ctx.writeAndFlush(new DefaultHttpContent(wrap(chunks)), ctx.voidPromise());
    }

    /** Ends a streamed body; {@code bytes} is what it carried, for the metrics. */
    void endStream(ChannelHandlerContext ctx, RequestInfo request, long bytes) {
        observer.responded(request.route(), 200, bytes, System.nanoTime() - request.startNanos());
        if (request.keepAlive()) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Gives up a streamed body half way (the segment vanished, the stream ended badly, the wait timed out): the
     * connection is closed without the terminating chunk, so neither the client nor a cache takes the truncated
     * body for the object.
     */
    void abortStream(ChannelHandlerContext ctx, RequestInfo request, long bytes) {
        observer.responded(request.route(), 200, bytes, System.nanoTime() - request.startNanos());
        ctx.close();
    }

    private static int length(List<ByteBuffer> chunks) {
        int length = 0;
        for (ByteBuffer b : chunks) {
            length += b.remaining();
        }
        return length;
    }

    /** The chunks as one buffer, without copying (duplicates: the shared chunks' positions never move). */
    private static ByteBuf wrap(List<ByteBuffer> chunks) {
        ByteBuffer[] views = new ByteBuffer[chunks.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = chunks.get(i).duplicate();
        }
        return Unpooled.wrappedBuffer(views);
    }

    private static boolean isText(String contentType) {
        return contentType.startsWith("text/") || contentType.contains("mpegurl") || contentType.contains("json")
                || contentType.contains("xml");
    }

    private boolean notModified(ChannelHandlerContext ctx, RequestInfo request, String etag, String cacheControl) {
        if (etag == null || !("\"" + etag + "\"").equals(request.ifNoneMatch())) {
            return false;
        }
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        finish(ctx, request, response, etag, cacheControl);
        return true;
    }

    /** HEAD gets the headers of GET, Content-Length included, and no body. */
    private static FullHttpResponse response(RequestInfo request, HttpResponseStatus status, ByteBuf content,
            int length) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (head) {
            content.release();
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : content);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        return response;
    }

    private void finish(ChannelHandlerContext ctx, RequestInfo request, FullHttpResponse response, String etag,
            String cacheControl) {
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        if (etag != null) {
            h.set(HttpHeaderNames.ETAG, "\"" + etag + "\"");
        }
        addCors(h);
        send(ctx, request, response);
    }

    /**
     * Writes a body with headers of the caller's (WHIP's Location, ETag, WWW-Authenticate): never cached, no
     * validator of ours. A null content type means an empty body.
     */
    void writeWithHeaders(ChannelHandlerContext ctx, RequestInfo request, HttpResponseStatus status,
            String contentType, byte[] body, Map<String, String> headers) {
        FullHttpResponse response = response(request, status, Unpooled.wrappedBuffer(body), body.length);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.forEach(response.headers()::set);
        finish(ctx, request, response, null, CacheRules.noStore());
    }

    /** Writes a JSON body (the API): never cached, never a stale view of live state. */
    void writeJson(ChannelHandlerContext ctx, RequestInfo request, HttpResponseStatus status, byte[] json) {
        write(ctx, request, status, "application/json", json, CacheRules.noStore());
    }

    /** 401 with the challenge a client needs to retry with credentials (RFC 6750 for Bearer). */
    void writeUnauthorized(ChannelHandlerContext ctx, RequestInfo request, byte[] json, String challenge) {
        FullHttpResponse response = response(request, HttpResponseStatus.UNAUTHORIZED, Unpooled.wrappedBuffer(json),
                json.length);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        finish(ctx, request, response, null, CacheRules.noStore());
    }

    void writeError(ChannelHandlerContext ctx, RequestInfo request, HttpResponseStatus status, String message,
            String cacheControl) {
        write(ctx, request, status, "text/plain; charset=utf-8",
                (message + "\n").getBytes(StandardCharsets.UTF_8), cacheControl);
    }

    /**
     * Answers a CORS preflight: our media is public, any origin may read it. The API may be called from another
     * origin too (with its token: "*" does not cover Authorization, so it is named).
     */
    void writePreflight(ChannelHandlerContext ctx, RequestInfo request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        HttpHeaders h = response.headers();
        addCors(h);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, POST, PATCH, DELETE, OPTIONS");
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*, Authorization");
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        send(ctx, request, response);
    }

    private void addCors(HttpHeaders h) {
        if (!corsAllowOrigin.isEmpty()) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsAllowOrigin);
            h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Content-Length, ETag, Age, Date, Location, Link");
        }
    }

    private void send(ChannelHandlerContext ctx, RequestInfo request, FullHttpResponse response) {
        observer.responded(request.route(), response.status().code(), response.content().readableBytes(),
                System.nanoTime() - request.startNanos());
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        if (request.keepAlive()) {
            HttpUtil.setKeepAlive(response, true);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
