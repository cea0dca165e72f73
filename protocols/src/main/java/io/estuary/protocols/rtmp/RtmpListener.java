package io.estuary.protocols.rtmp;

/**
 * What RTMP ingest reports to the operator side (metrics). Calls come from event loops: implementations must be
 * cheap and must not block.
 */
public interface RtmpListener {
    /** Does nothing: for tests and embedders that do not count. */
    RtmpListener NONE = new RtmpListener() { };

    /** Why a publisher was turned away; {@link #label()} is the metrics label value. */
    enum Refusal {
        UNAUTHORIZED("unauthorized"),
        STREAM_BUSY("stream_busy"),
        INVALID_APP("invalid_app"),
        INVALID_NAME("invalid_name"),
        TOO_MANY_CONNECTIONS("too_many_connections");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    default void connectionOpened() {
    }

    default void connectionClosed() {
    }

    default void refused(Refusal reason) {
    }

    /** A connection closed because of a protocol violation (a malformed chunk, a bad AMF value, ...). */
    default void protocolError() {
    }
}
