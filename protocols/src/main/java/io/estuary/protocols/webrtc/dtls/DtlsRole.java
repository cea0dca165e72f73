package io.estuary.protocols.webrtc.dtls;

/**
 * Our side of the DTLS handshake. The SDP decides it (RFC 5763 §5): an offer with {@code a=setup:actpass} makes
 * the browser the DTLS client and us the {@link #SERVER}; an offer with {@code a=setup:passive} makes us the
 * {@link #CLIENT}.
 */
public enum DtlsRole {
    SERVER,
    CLIENT
}
