package io.estuary.server.http;

/**
 * What the HTTP side reports to the metrics. Called on event loops, once per response: must be cheap and must
 * not block.
 */
public interface HttpObserver {
    HttpObserver NONE = new HttpObserver() { };

    /**
     * A response was handed to the connection.
     *
     * @param bytes body bytes sent (0 for HEAD and 304)
     * @param nanos from the request's arrival to its response (a blocking playlist request includes its wait)
     */
    default void responded(Route route, int status, long bytes, long nanos) {
    }

    /** A request now waits for a part that does not exist yet (blocking playlist reload, preload hint). */
    default void waitStarted() {
    }

    default void waitEnded() {
    }
}
