package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** Runs the DTLS-SRTP handshake of one WebRTC session (RFC 5763, RFC 5764). */
public final class DtlsEndpoint {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DtlsEndpoint() {
    }

    /**
     * Runs the handshake (blocking, bounded by timeout); verifies the peer certificate against the SDP fingerprint;
     * returns the negotiated SRTP keys.
     *
     * <p>On failure the transport is closed and no thread is left behind.
     *
     * @param remoteFingerprintAlgorithm the hash function of the SDP's {@code a=fingerprint}: sha-256, sha-384 or
     *        sha-512
     * @param remoteFingerprint          its value, hex pairs joined by colons, either case
     * @param timeout                    how long the whole handshake may take, retransmissions included
     * @throws DtlsException with the reason: bad fingerprint syntax, fingerprint mismatch, no common SRTP profile
     *         or cipher suite, an alert from the peer, timeout, or an interrupt
     */
    public static DtlsSession handshake(DatagramTransport transport, DtlsRole role, DtlsCertificate certificate,
            String remoteFingerprintAlgorithm, String remoteFingerprint, Duration timeout) throws DtlsException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(certificate, "certificate");
        if (timeout.isNegative() || timeout.isZero()) {
            closeQuietly(transport);
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        PeerFingerprint peerFingerprint;
        try {
            peerFingerprint = PeerFingerprint.parse(remoteFingerprintAlgorithm, remoteFingerprint);
        } catch (IllegalArgumentException e) {
            closeQuietly(transport);
            throw new DtlsException("bad fingerprint in the peer's SDP: " + e.getMessage(), e);
        }
        int timeoutMillis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        HandshakeTerms terms = new HandshakeTerms(new BcTlsCrypto(RANDOM), certificate, peerFingerprint,
                timeoutMillis);
        try {
            DTLSTransport dtls = role == DtlsRole.SERVER
                    ? new DTLSServerProtocol().accept(new DtlsServer(terms), transport)
                    : new DTLSClientProtocol().connect(new DtlsClient(terms), transport);
            return new ConnectedDtlsSession(dtls, transport, terms.keys());
        } catch (IOException e) {
            closeQuietly(transport);
            throw new DtlsException(reason(role, terms, timeout, e), e);
        } catch (RuntimeException e) {
            closeQuietly(transport);
            throw new DtlsException("DTLS " + role.name().toLowerCase(java.util.Locale.ROOT) + " handshake failed: " + e, e);
        }
    }

    /**
     * Runs one whole handshake in memory, our client against our server, and throws both sessions away. The first
     * handshake in a JVM loads and initialises BouncyCastle's TLS, EC and AES-GCM code (248 ms in memory, against
     * 15 ms for the next): done at start-up, a restarted server's first publishers do not wait for it (Chromium's
     * first DTLS handshakes went from 107–122 ms to 26–36 ms).
     *
     * @return how long the handshake took
     * @throws DtlsException if it failed (a broken crypto setup, which real sessions would meet too)
     */
    public static Duration warmUp(DtlsCertificate certificate, Duration timeout) throws DtlsException {
        DatagramPipe pipe = new DatagramPipe();
        String fingerprint = certificate.fingerprintSha256();
        AtomicReference<Object> serverOutcome = new AtomicReference<>();
        Thread server = new Thread(() -> {
            try {
                serverOutcome.set(handshake(pipe.left, DtlsRole.SERVER, certificate, "sha-256", fingerprint,
                        timeout));
            } catch (DtlsException e) {
                serverOutcome.set(e);
            }
        }, "dtls-warm-up");
        server.setDaemon(true);
        long start = System.nanoTime();
        server.start();
        try (DtlsSession client = handshake(pipe.right, DtlsRole.CLIENT, certificate, "sha-256", fingerprint,
                timeout)) {
            server.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DtlsException("DTLS warm-up interrupted", e);
        } finally {
            pipe.left.close();
        }
        Object outcome = serverOutcome.get();
        if (outcome instanceof DtlsSession session) {
            session.close();
        } else if (outcome instanceof DtlsException e) {
            throw e;
        } else {
            throw new DtlsException("DTLS warm-up: the server side did not finish within " + timeout, null);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String reason(DtlsRole role, HandshakeTerms terms, Duration timeout, IOException e) {
        String prefix = "DTLS handshake as " + role.name().toLowerCase(java.util.Locale.ROOT) + " failed: ";
        if (terms.failure() != null) {
            return prefix + terms.failure();
        }
        if (e instanceof TlsTimeoutException) {
            return prefix + "no answer from the peer within " + timeout.toMillis() + " ms";
        }
        if (e instanceof InterruptedIOException) {
            return prefix + "interrupted";
        }
        if (e instanceof TlsFatalAlertReceived received) {
            return prefix + "the peer sent alert " + AlertDescription.getText(received.getAlertDescription());
        }
        if (e instanceof TlsFatalAlert alert) {
            return prefix + "alert " + AlertDescription.getText(alert.getAlertDescription())
                    + (alert.getMessage() != null ? " (" + alert.getMessage() + ")" : "");
        }
        return prefix + e;
    }

    private static void closeQuietly(DatagramTransport transport) {
        try {
            transport.close();
        } catch (IOException ignored) {
            // Closing is best effort: the handshake has already failed.
        }
    }
}
