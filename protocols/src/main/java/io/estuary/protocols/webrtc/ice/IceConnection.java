package io.estuary.protocols.webrtc.ice;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The selected ICE pair of a session, carrying DTLS/SRTP/SRTCP datagrams both ways. */
public interface IceConnection extends AutoCloseable {

    /**
     * The next non-STUN datagram from the remote, copied into buf; returns its length, or -1 after timeoutMillis
     * without one, or throws IOException once closed. A datagram longer than buf is truncated, as by a DatagramSocket.
     */
    int receive(byte[] buf, int timeoutMillis) throws IOException;

    /** Sends one datagram to the remote; throws IOException once closed or once consent has expired (RFC 7675). */
    void send(byte[] buf, int off, int len) throws IOException;

    /** The remote address of the selected pair. */
    InetSocketAddress remote();

    /** True once nothing (no datagram, no STUN request or consent response) came from the remote for consentTimeout. */
    boolean consentExpired();

    /** Closes the whole session; idempotent. */
    @Override
    void close();
}
