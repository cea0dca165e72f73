package io.estuary.packager.hls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What the server sends for an HLS request. The body is a list of read-only chunks, shared and never copied: a
 * playlist is one heap chunk; a media object is its parts' direct buffers (a segment is its parts, in order), so
 * the server hands them to the socket as they are, without copying them per request. Errors carry a plain-text
 * body equal to {@code message}; successful responses have a null message. A playlist also carries its
 * {@code rendered} form (validator and gzip made once per snapshot, for every viewer); null otherwise.
 */
public record HlsResponse(Status status, String contentType, List<ByteBuffer> chunks, CacheClass cache,
        String message, RenderedText rendered) {

    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    public static final String VIDEO_MP4 = "video/mp4";
    public static final String AUDIO_MP4 = "audio/mp4";
    static final String TEXT = "text/plain; charset=utf-8";

    public HlsResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(cache, "cache");
        chunks = List.copyOf(chunks);
    }

    static HlsResponse playlist(RenderedText playlist, boolean blocking) {
        return new HlsResponse(Status.OK, PLAYLIST_TYPE, List.of(playlist.bytes()),
                blocking ? CacheClass.BLOCKING_PLAYLIST : CacheClass.PLAYLIST, null, playlist);
    }

    static HlsResponse media(String contentType, List<ByteBuffer> chunks) {
        return new HlsResponse(Status.OK, contentType, chunks, CacheClass.IMMUTABLE, null, null);
    }

    static HlsResponse notFound(String message) {
        return new HlsResponse(Status.NOT_FOUND, TEXT, text(message), CacheClass.NEGATIVE, message, null);
    }

    static HlsResponse notYet(String message) {
        return new HlsResponse(Status.NOT_FOUND, TEXT, text(message), CacheClass.NOT_YET, message, null);
    }

    static HlsResponse manifest(RenderedText mpd) {
        return new HlsResponse(Status.OK, io.estuary.packager.dash.MpdWriter.CONTENT_TYPE, List.of(mpd.bytes()),
                CacheClass.PLAYLIST, null, mpd);
    }

    static HlsResponse badRequest(String message) {
        return new HlsResponse(Status.BAD_REQUEST, TEXT, text(message), CacheClass.NEGATIVE, message, null);
    }

    private static List<ByteBuffer> text(String text) {
        return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    /** Bytes in the body. */
    public int length() {
        int n = 0;
        for (ByteBuffer b : chunks) {
            n += b.remaining();
        }
        return n;
    }

    /** The body as one array: a copy, for text handling and tests, not for serving media. */
    public byte[] body() {
        byte[] all = new byte[length()];
        int at = 0;
        for (ByteBuffer b : chunks) {
            int n = b.remaining();
            b.duplicate().get(all, at, n);
            at += n;
        }
        return all;
    }

    /** The body as text (playlists, error messages). */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }
}
