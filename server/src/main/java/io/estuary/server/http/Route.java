package io.estuary.server.http;

/** The kind of a request, as counted in the HTTP metrics (a bounded label: never the path itself). */
public enum Route {
    PLAYLIST("playlist"),
    /** A playlist request with delivery directives (_HLS_msn/_HLS_part/_HLS_skip): it may wait for a part. */
    BLOCKING_PLAYLIST("blocking_playlist"),
    MEDIA("media"),
    /** The DASH MPD. */
    MANIFEST("manifest"),
    /** WHIP ingest: offers, trickle candidates, session ends. */
    WHIP("whip"),
    /** The server's clock, for DASH players (UTCTiming). */
    TIME("time"),
    /** The ClearKey license and key endpoints. */
    DRM("drm"),
    CONSOLE("console"),
    API("api"),
    METRICS("metrics"),
    HEALTH("health"),
    OTHER("other");

    private final String label;

    Route(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
