package io.estuary.protocols.webrtc.dtls;

/** The DTLS handshake failed; the message says why in words an operator can act on. */
public final class DtlsException extends Exception {
    public DtlsException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
