package io.estuary.server.http;

import io.estuary.packager.hls.CacheClass;

/**
 * The Cache-Control of each kind of response (DESIGN.md): media objects are immutable because their URLs are
 * never reused; playlists live briefly; a playlist answering delivery directives is complete for its URL and can
 * be cached a little longer, under the full URL, by a CDN.
 */
final class CacheRules {
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final String playlist;
    private final String blockingPlaylist;
    private final String negative;

    CacheRules(HttpConfig config) {
        playlist = "public, max-age=" + config.playlistMaxAge().toSeconds();
        blockingPlaylist = "public, max-age=" + config.blockingPlaylistMaxAge().toSeconds();
        negative = "public, max-age=" + config.negativeMaxAge().toSeconds();
    }

    String forClass(CacheClass cacheClass) {
        return switch (cacheClass) {
            case IMMUTABLE -> IMMUTABLE;
            case PLAYLIST -> playlist;
            case BLOCKING_PLAYLIST -> blockingPlaylist;
            case NEGATIVE -> negative;
            case NOT_YET -> noStore();
        };
    }

    String negative() {
        return negative;
    }

    /** For errors that must not be cached at all (503 while waiting, 400 for a malformed request). */
    static String noStore() {
        return "no-store";
    }
}
