package io.estuary.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one response with the headers every response of ours carries: CORS, cache rules, a strong ETag (and 304
 * when the client has it), gzip for text when asked, no body for HEAD. Bodies are wrapped, never copied.
 */
final class ResponseWriter {
    private static final int GZIP_MIN_BYTES = 512;

    private final String corsAllowOrigin;

    ResponseWriter(String corsAllowOrigin) {
        this.corsAllowOrigin = corsAllowOrigin;
    }

    /** The facts of the request that shape the response. */
    record RequestInfo(HttpMethod method, boolean keepAlive, String ifNoneMatch, boolean acceptsGzip) {

        static RequestInfo of(io.netty.handler.codec.http.HttpRequest request) {
            HttpHeaders h = request.headers();
            String acceptEncoding = h.get(HttpHeaderNames.ACCEPT_ENCODING, "");
            return new RequestInfo(request.method(), HttpUtil.isKeepAlive(request),
                    h.get(HttpHeaderNames.IF_NONE_MATCH), acceptEncoding.contains("gzip"));
        }
    }

    void write(ChannelHandlerContext ctx, RequestInfo request, HttpResponseStatus status, String contentType,
            byte[] body, String cacheControl) {
        boolean text = contentType.startsWith("text/") || contentType.contains("mpegurl")
                || contentType.contains("json") || contentType.contains("xml");
        boolean gzip = text && request.acceptsGzip() && body.length >= GZIP_MIN_BYTES;
        // A strong ETag names one representation: the gzip variant gets its own.
        String etag = status.code() == 200 ? etag(body) + (gzip ? "-gz" : "") : null;
        FullHttpResponse response;
        if (etag != null && ("\"" + etag + "\"").equals(request.ifNoneMatch())) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
            body = new byte[0];
        } else {
            if (gzip) {
                body = gzip(body);
            }
            boolean head = request.method().equals(HttpMethod.HEAD);
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            if (gzip) {
                response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
        }
        HttpHeaders h = response.headers();
        if (response.status().code() != 304) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        h.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        if (etag != null) {
            h.set(HttpHeaderNames.ETAG, "\"" + etag + "\"");
        }
        if (text) {
            h.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        addCors(h);
        send(ctx, request, response);
    }

    void writeError(ChannelHandlerContext ctx, RequestInfo request, HttpResponseStatus status, String message,
            String cacheControl) {
        write(ctx, request, status, "text/plain; charset=utf-8",
                (message + "\n").getBytes(StandardCharsets.UTF_8), cacheControl);
    }

    /** Answers a CORS preflight: our media is public, any origin may read it. */
    void writePreflight(ChannelHandlerContext ctx, RequestInfo request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        HttpHeaders h = response.headers();
        addCors(h);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*");
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        send(ctx, request, response);
    }

    private void addCors(HttpHeaders h) {
        if (!corsAllowOrigin.isEmpty()) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsAllowOrigin);
            h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Content-Length, ETag, Age, Date");
        }
    }

    private static void send(ChannelHandlerContext ctx, RequestInfo request, FullHttpResponse response) {
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

    /** A strong validator of the exact bytes; CRC32C is hardware-accelerated and plenty for change detection. */
    private static String etag(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length);
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
