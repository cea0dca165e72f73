package io.estuary.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {
    private static final String PLAYLIST = "#EXTM3U\n" + "#EXTINF:2.00000,\nvideo/e1/1.m4s\n".repeat(40);

    private final ResponseWriter writer = new ResponseWriter("*", HttpObserver.NONE);

    private FullHttpResponse exchange(DefaultFullHttpRequest request, String contentType, byte[] body) {
        ResponseWriter.RequestInfo info = ResponseWriter.RequestInfo.of(request, Route.MEDIA);
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                writer.write(ctx, info, HttpResponseStatus.OK, contentType, body, CacheRules.IMMUTABLE);
            }
        });
        FullHttpResponse response = channel.readOutbound();
        assertFalse(channel.finish());
        return response;
    }

    private FullHttpResponse exchangeMedia(DefaultFullHttpRequest request, List<ByteBuffer> chunks) {
        ResponseWriter.RequestInfo info = ResponseWriter.RequestInfo.of(request, Route.MEDIA);
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                writer.writeMedia(ctx, info, "video/mp4", chunks, CacheRules.IMMUTABLE, "video/e1/7.m4s");
            }
        });
        FullHttpResponse response = channel.readOutbound();
        assertFalse(channel.finish());
        return response;
    }

    private static ByteBuffer direct(byte... bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b.asReadOnlyBuffer();
    }

    @Test
    void mediaIsItsChunksInOrderWithAnEtagNamedAfterItsImmutableUrl() {
        List<ByteBuffer> parts = List.of(direct((byte) 1, (byte) 2), direct((byte) 3), direct((byte) 4, (byte) 5));
        FullHttpResponse r = exchangeMedia(get("/live/x/video/e1/7.m4s"), parts);
        assertEquals(200, r.status().code());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, ByteBufUtil.getBytes(r.content()));
        assertEquals("5", r.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals("\"video-e1-7.m4s-5\"", r.headers().get(HttpHeaderNames.ETAG));
        r.release();
        assertEquals(2, parts.get(0).remaining(), "the shared chunks are never consumed");

        DefaultFullHttpRequest again = get("/live/x/video/e1/7.m4s");
        again.headers().set(HttpHeaderNames.IF_NONE_MATCH, "\"video-e1-7.m4s-5\"");
        FullHttpResponse notModified = exchangeMedia(again, parts);
        assertEquals(304, notModified.status().code());
        notModified.release();

        FullHttpResponse head = exchangeMedia(
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/x"), parts);
        assertEquals("5", head.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(0, head.content().readableBytes());
        head.release();
    }

    private static DefaultFullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    @Test
    void carriesCorsCacheAndAStrongEtag() {
        FullHttpResponse r = exchange(get("/x"), "video/mp4", new byte[] {1, 2, 3});
        try {
            assertEquals(200, r.status().code());
            assertEquals("*", r.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
            assertEquals("public, max-age=31536000, immutable", r.headers().get(HttpHeaderNames.CACHE_CONTROL));
            assertEquals("3", r.headers().get(HttpHeaderNames.CONTENT_LENGTH));
            assertEquals('"', r.headers().get(HttpHeaderNames.ETAG).charAt(0));
        } finally {
            r.release();
        }
    }

    @Test
    void answers304WhenTheClientHasTheBytes() {
        FullHttpResponse first = exchange(get("/x"), "video/mp4", new byte[] {1, 2, 3});
        String etag = first.headers().get(HttpHeaderNames.ETAG);
        first.release();
        DefaultFullHttpRequest again = get("/x");
        again.headers().set(HttpHeaderNames.IF_NONE_MATCH, etag);
        FullHttpResponse second = exchange(again, "video/mp4", new byte[] {1, 2, 3});
        assertEquals(304, second.status().code());
        assertEquals(0, second.content().readableBytes());
        assertEquals(etag, second.headers().get(HttpHeaderNames.ETAG));
        second.release();
    }

    @Test
    void gzipsPlaylistsOnlyWhenAskedAndNeverMedia() throws IOException {
        byte[] text = PLAYLIST.getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpRequest gzipRequest = get("/p.m3u8");
        gzipRequest.headers().set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate");
        FullHttpResponse gz = exchange(gzipRequest, "application/vnd.apple.mpegurl", text);
        assertEquals("gzip", gz.headers().get(HttpHeaderNames.CONTENT_ENCODING));
        byte[] zipped = ByteBufUtil.getBytes(gz.content());
        gz.release();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
            assertEquals(PLAYLIST, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        FullHttpResponse plain = exchange(get("/p.m3u8"), "application/vnd.apple.mpegurl", text);
        assertNull(plain.headers().get(HttpHeaderNames.CONTENT_ENCODING));
        assertEquals(text.length, plain.content().readableBytes());
        plain.release();

        DefaultFullHttpRequest mediaRequest = get("/v.m4s");
        mediaRequest.headers().set(HttpHeaderNames.ACCEPT_ENCODING, "gzip");
        FullHttpResponse media = exchange(mediaRequest, "video/mp4", text);
        assertNull(media.headers().get(HttpHeaderNames.CONTENT_ENCODING));
        media.release();
    }

    @Test
    void headHasTheHeadersButNoBody() {
        FullHttpResponse r = exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/x"),
                "video/mp4", new byte[100]);
        assertEquals("100", r.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(0, r.content().readableBytes());
        r.release();
    }
}
