package io.estuary.packager.hls;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the server sends for an HLS request. {@code body} is shared, never copied: the server must not modify it.
 * Errors carry a plain-text body equal to {@code message}; successful responses have a null message.
 */
public record HlsResponse(Status status, String contentType, byte[] body, CacheClass cache, String message) {

    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    public static final String VIDEO_MP4 = "video/mp4";
    public static final String AUDIO_MP4 = "audio/mp4";
    static final String TEXT = "text/plain; charset=utf-8";

    public HlsResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(cache, "cache");
    }

    static HlsResponse playlist(String text, boolean blocking) {
        return new HlsResponse(Status.OK, PLAYLIST_TYPE, text.getBytes(StandardCharsets.UTF_8),
                blocking ? CacheClass.BLOCKING_PLAYLIST : CacheClass.PLAYLIST, null);
    }

    static HlsResponse media(String contentType, byte[] bytes) {
        return new HlsResponse(Status.OK, contentType, bytes, CacheClass.IMMUTABLE, null);
    }

    static HlsResponse notFound(String message) {
        return new HlsResponse(Status.NOT_FOUND, TEXT, message.getBytes(StandardCharsets.UTF_8), CacheClass.NEGATIVE,
                message);
    }

    static HlsResponse badRequest(String message) {
        return new HlsResponse(Status.BAD_REQUEST, TEXT, message.getBytes(StandardCharsets.UTF_8),
                CacheClass.NEGATIVE, message);
    }

    /** The body as text (playlists, error messages). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
