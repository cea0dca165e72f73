package io.estuary.packager.hls;

/** How long a response may be cached; the server turns it into {@code Cache-Control}. */
public enum CacheClass {
    /** Init segments, segments and parts: their URLs never name different bytes. */
    IMMUTABLE,
    /** A playlist requested without delivery directives: it changes with every part. */
    PLAYLIST,
    /** A playlist requested with delivery directives: cacheable under its full URL. */
    BLOCKING_PLAYLIST,
    /** Errors (404, 400): cache briefly at most. */
    NEGATIVE,
    /**
     * A 404 for an object just ahead of the live edge, which may exist a moment later: never cached, so that a
     * player asking a little early (a DASH player by its clock) gets the object as soon as it exists.
     */
    NOT_YET
}
