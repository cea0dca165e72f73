package io.estuary.protocols.webrtc.dtls;

/**
 * An established DTLS association. It keeps reading DTLS records after the handshake on a thread of its own: that
 * is how it retransmits our last flight if the peer missed it, and notices the peer's close_notify.
 */
public interface DtlsSession extends AutoCloseable {
    /** The SRTP master keys and profile this association negotiated. */
    SrtpKeys keys();

    /** True once the peer closed the association (close_notify or a fatal alert) or {@link #close()} ran. */
    boolean isClosed();

    /** Sends close_notify, closes the transport and stops the reader thread. Idempotent. */
    @Override
    void close();
}
