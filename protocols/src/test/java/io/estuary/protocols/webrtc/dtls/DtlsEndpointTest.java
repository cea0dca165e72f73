package io.estuary.protocols.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.estuary.protocols.webrtc.srtp.SrtpSession;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole DTLS-SRTP handshakes over an in-memory datagram pair, each side on its own thread: ours against ours, ours
 * against plain BouncyCastle peers ({@link PlainDtlsPeers}) that derive the keys on their own, and the failures.
 */
class DtlsEndpointTest {
    // Generating P-256 keys is cheap; two per class keeps the tests fast.
    private static final DtlsCertificate OURS = DtlsCertificate.generate();
    private static final DtlsCertificate THEIRS = DtlsCertificate.generate();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ExecutorService peerThread;
    private DatagramPipe pipe;

    @BeforeEach
    void setUp() {
        peerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "dtls-test-peer"));
        pipe = new DatagramPipe();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pipe.left.close();
        pipe.right.close();
        peerThread.shutdownNow();
        assertTrue(peerThread.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void ourServerAndOurClientDeriveTheSameKeysAndPreferGcm() throws Exception {
        Future<DtlsSession> client = peerThread.submit(() -> DtlsEndpoint.handshake(pipe.right, DtlsRole.CLIENT,
                THEIRS, "sha-256", OURS.fingerprintSha256(), TIMEOUT));
        try (DtlsSession server = DtlsEndpoint.handshake(pipe.left, DtlsRole.SERVER, OURS, "sha-256",
                THEIRS.fingerprintSha256().toLowerCase(), TIMEOUT);
                DtlsSession clientSession = client.get(30, TimeUnit.SECONDS)) {
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, server.keys().profile());
            assertEquals(server.keys(), clientSession.keys());
            assertFalse(Arrays.equals(server.keys().clientKey(), server.keys().serverKey()));
            assertFalse(server.isClosed());

            // The keys work in the right direction: RTCP the server protects, the client's SRTP session reads.
            byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 1, 2, 3, 4};
            byte[] srtcp = SrtpSession.of(server.keys(), DtlsRole.SERVER).protectRtcp(rtcp);
            assertEquals(rtcp.length,
                    SrtpSession.of(clientSession.keys(), DtlsRole.CLIENT).unprotectRtcp(srtcp, 0, srtcp.length));
        }
    }

    /** The start-up warm-up is a whole handshake of ours against ours, and leaves no thread behind. */
    @Test
    void warmUpRunsAWholeHandshakeAndLeavesNoThread() throws Exception {
        long readersBefore = threads("dtls-reader-");
        Duration first = DtlsEndpoint.warmUp(OURS, TIMEOUT);
        Duration second = DtlsEndpoint.warmUp(OURS, TIMEOUT);
        System.out.printf("DTLS_WARM_UP first=%d ms second=%d ms%n", first.toMillis(), second.toMillis());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((threads("dtls-warm-up") > 0 || threads("dtls-reader-") > readersBefore)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, threads("dtls-warm-up"), "warm-up server thread");
        assertTrue(threads("dtls-reader-") <= readersBefore, "DTLS reader threads left running");
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void ourServerGivesAClientOfferingOnlyAesCmThatProfileAndTheSameKeys() throws Exception {
        PlainDtlsPeers.Client browser = new PlainDtlsPeers.Client(new BcTlsCrypto(new SecureRandom()), THEIRS,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        Future<DTLSTransport> client = peerThread.submit(() -> new DTLSClientProtocol().connect(browser, pipe.right));
        try (DtlsSession server = DtlsEndpoint.handshake(pipe.left, DtlsRole.SERVER, OURS, "sha-256",
                THEIRS.fingerprintSha256(), TIMEOUT)) {
            client.get(30, TimeUnit.SECONDS);
            assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, server.keys().profile());
            assertEquals(browser.keys, server.keys());
            assertArrayEquals(OURS.encoded(), browser.peerCertificate);
        }
    }

    @Test
    void ourServerPrefersGcmWhenOfferedSecond() throws Exception {
        PlainDtlsPeers.Client browser = new PlainDtlsPeers.Client(new BcTlsCrypto(new SecureRandom()), THEIRS,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM);
        Future<DTLSTransport> client = peerThread.submit(() -> new DTLSClientProtocol().connect(browser, pipe.right));
        try (DtlsSession server = DtlsEndpoint.handshake(pipe.left, DtlsRole.SERVER, OURS, "sha-256",
                THEIRS.fingerprintSha256(), TIMEOUT)) {
            client.get(30, TimeUnit.SECONDS);
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, server.keys().profile());
            assertEquals(browser.keys, server.keys());
        }
    }

    @Test
    void ourClientTakesTheProfileABouncyCastleServerChoosesAndTheSameKeys() throws Exception {
        PlainDtlsPeers.Server browser = new PlainDtlsPeers.Server(new BcTlsCrypto(new SecureRandom()), THEIRS,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        Future<DTLSTransport> server = peerThread.submit(() -> new DTLSServerProtocol().accept(browser, pipe.right));
        try (DtlsSession client = DtlsEndpoint.handshake(pipe.left, DtlsRole.CLIENT, OURS, "sha-256",
                THEIRS.fingerprintSha256(), TIMEOUT)) {
            server.get(30, TimeUnit.SECONDS);
            assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, client.keys().profile());
            assertEquals(browser.keys, client.keys());
            assertArrayEquals(OURS.encoded(), browser.peerCertificate);
        }
    }

    @Test
    void aCertificateThatIsNotTheAnnouncedOneFailsBothSides() throws Exception {
        DtlsCertificate impostor = DtlsCertificate.generate();
        Future<DtlsSession> client = peerThread.submit(() -> DtlsEndpoint.handshake(pipe.right, DtlsRole.CLIENT,
                impostor, "sha-256", OURS.fingerprintSha256(), TIMEOUT));
        DtlsException failure = assertThrows(DtlsException.class, () -> DtlsEndpoint.handshake(pipe.left,
                DtlsRole.SERVER, OURS, "sha-256", THEIRS.fingerprintSha256(), TIMEOUT));
        assertTrue(failure.getMessage().contains("fingerprint " + impostor.fingerprintSha256()), failure.getMessage());
        assertTrue(failure.getMessage().contains("announced " + THEIRS.fingerprintSha256()), failure.getMessage());
        ExecutionException peerFailure = assertThrows(ExecutionException.class, () -> client.get(30, TimeUnit.SECONDS));
        assertTrue(peerFailure.getCause() instanceof DtlsException);
        assertTrue(peerFailure.getCause().getMessage().contains("bad_certificate"), peerFailure.getCause().getMessage());
        assertTrue(pipe.left.isClosed());
        assertTrue(pipe.right.isClosed());
    }

    @Test
    void ourClientRejectsAServerCertificateWithAnotherSha512Fingerprint() throws Exception {
        PlainDtlsPeers.Server browser = new PlainDtlsPeers.Server(new BcTlsCrypto(new SecureRandom()), THEIRS,
                SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM);
        Future<DTLSTransport> server = peerThread.submit(() -> new DTLSServerProtocol().accept(browser, pipe.right));
        String wrong = PeerFingerprint.format(PeerFingerprint.digest("sha-512", OURS.encoded()));
        DtlsException failure = assertThrows(DtlsException.class, () -> DtlsEndpoint.handshake(pipe.left,
                DtlsRole.CLIENT, OURS, "SHA-512", wrong, TIMEOUT));
        assertTrue(failure.getMessage().contains("sha-512 fingerprint"), failure.getMessage());
        assertThrows(ExecutionException.class, () -> server.get(30, TimeUnit.SECONDS));
        assertTrue(pipe.left.isClosed());
    }

    @Test
    void aSilentPeerTimesOutInEitherRoleAndLeavesNothingBehind() throws InterruptedException {
        for (DtlsRole role : DtlsRole.values()) {
            QueuedDatagramTransport silent = new QueuedDatagramTransport(1200, datagram -> { }, 8);
            long start = System.nanoTime();
            DtlsException failure = assertThrows(DtlsException.class, () -> DtlsEndpoint.handshake(silent, role,
                    OURS, "sha-256", THEIRS.fingerprintSha256(), Duration.ofMillis(300)));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(failure.getMessage().contains("no answer from the peer within 300 ms"), failure.getMessage());
            assertTrue(elapsedMillis >= 300, "gave up after " + elapsedMillis + " ms");
            assertTrue(silent.isClosed());
        }
        assertEquals(0, readerThreadsSettlingAt(0));
    }

    @Test
    void aBadFingerprintIsRefusedBeforeTheHandshake() {
        QueuedDatagramTransport transport = new QueuedDatagramTransport(1200, datagram -> { }, 8);
        DtlsException failure = assertThrows(DtlsException.class, () -> DtlsEndpoint.handshake(transport,
                DtlsRole.SERVER, OURS, "md5", "AB:CD", TIMEOUT));
        assertTrue(failure.getMessage().contains("unsupported fingerprint hash function 'md5'"), failure.getMessage());
        assertTrue(transport.isClosed());
    }

    @Test
    void closingOneSideSendsCloseNotifyAndStopsBothReaders() throws Exception {
        assertEquals(0, readerThreadsSettlingAt(0), "readers of earlier tests still running");
        Future<DtlsSession> client = peerThread.submit(() -> DtlsEndpoint.handshake(pipe.right, DtlsRole.CLIENT,
                THEIRS, "sha-256", OURS.fingerprintSha256(), TIMEOUT));
        DtlsSession server = DtlsEndpoint.handshake(pipe.left, DtlsRole.SERVER, OURS, "sha-256",
                THEIRS.fingerprintSha256(), TIMEOUT);
        DtlsSession clientSession = client.get(30, TimeUnit.SECONDS);
        assertEquals(2, readerThreads());

        clientSession.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(server.isClosed(), "the server did not see close_notify");
        assertTrue(pipe.left.isClosed());
        server.close(); // idempotent
        assertEquals(0, readerThreadsSettlingAt(0));
    }

    /** Reader threads end asynchronously once their session closes: give them a few seconds to reach the count. */
    private static long readerThreadsSettlingAt(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (readerThreads() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return readerThreads();
    }

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("dtls-reader-") && t.isAlive()).count();
    }
}
