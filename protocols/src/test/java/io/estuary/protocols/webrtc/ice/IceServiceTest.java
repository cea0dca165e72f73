package io.estuary.protocols.webrtc.ice;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real ice4j agents on loopback: a controlling client per session against the muxed port. */
class IceServiceTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private IceService service;

    @AfterEach
    void closeService() {
        if (service != null) {
            service.close();
        }
    }

    private IceService start(Duration consentTimeout) throws IceException {
        service = new IceService(new IceConfig(0, List.of(LOOPBACK), Optional.empty(), Duration.ofSeconds(5),
                consentTimeout));
        return service;
    }

    @Test
    void twoSessionsShareThePortAndNeverCross() throws Exception {
        start(Duration.ofSeconds(30));
        try (IceClient a = new IceClient(); IceClient b = new IceClient()) {
            IceSession sa = service.newSession(a.ufrag(), a.pwd(), a.candidates());
            IceSession sb = service.newSession(b.ufrag(), b.pwd(), b.candidates());
            assertEquals(2, service.activeSessions());
            // Both answers advertise the one muxed port.
            assertEquals(List.of("127.0.0.1 " + service.port()), hostAndPorts(sa));
            assertEquals(hostAndPorts(sa), hostAndPorts(sb));

            a.connect(sa);
            b.connect(sb);
            IceConnection ca = sa.awaitConnected(Duration.ofSeconds(5));
            IceConnection cb = sb.awaitConnected(Duration.ofSeconds(5));
            assertEquals(a.address(), ca.remote());
            assertEquals(b.address(), cb.remote());

            for (int i = 0; i < 5; i++) {
                a.send(("from a " + i).getBytes(US_ASCII));
                b.send(("from b " + i).getBytes(US_ASCII));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("from a " + i, receive(ca));
                assertEquals("from b " + i, receive(cb));
            }
            assertEquals(-1, ca.receive(new byte[1500], 200), "session a got a datagram not meant for it");
            assertEquals(-1, cb.receive(new byte[1500], 0));

            send(ca, "to a");
            send(cb, "to b");
            assertEquals("to a", new String(a.receive(2000), US_ASCII));
            assertEquals("to b", new String(b.receive(2000), US_ASCII));
            assertEquals(null, a.receive(200));
            assertEquals(null, b.receive(1));
        }
    }

    @Test
    void peerReflexiveClientConnectsWithoutGivenCandidates() throws Exception {
        start(Duration.ofSeconds(30));
        try (IceClient client = new IceClient()) {
            // Chromium hides its host address behind an mDNS name we cannot resolve: only its checks reveal it.
            IceSession session = service.newSession(client.ufrag(), client.pwd(), List.of(
                    "candidate:2395300328 1 udp 2113937151 9d3f5c4c-7d4e-4b7c-9a2a-1a2b3c4d5e6f.local "
                            + client.address().getPort() + " typ host generation 0 network-cost 999"));
            client.connect(session);
            IceConnection connection = session.awaitConnected(Duration.ofSeconds(5));
            assertEquals(client.address(), connection.remote());
            client.send("prflx".getBytes(US_ASCII));
            assertEquals("prflx", receive(connection));
        }
    }

    @Test
    void consentExpiresAfterTheClientGoesAway() throws Exception {
        start(Duration.ofMillis(1500));
        IceClient client = new IceClient();
        IceSession session = service.newSession(client.ufrag(), client.pwd(), client.candidates());
        client.connect(session);
        IceConnection connection = session.awaitConnected(Duration.ofSeconds(5));
        // Traffic for longer than the timeout keeps consent.
        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        while (System.nanoTime() < until) {
            client.send(new byte[] {1});
            Thread.sleep(100);
        }
        assertFalse(connection.consentExpired());

        client.close();
        long stopped = System.nanoTime();
        waitFor(connection::consentExpired, Duration.ofSeconds(4));
        long afterMillis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
        assertTrue(afterMillis >= 1200, "expired too early, after " + afterMillis + " ms");
        IOException e = assertThrows(IOException.class, () -> connection.send(new byte[] {1}, 0, 1));
        assertTrue(e.getMessage().contains("consent expired"), e.getMessage());
        session.close();
    }

    @Test
    void strayDatagramsDoNotDisturbAnEstablishedSession() throws Exception {
        start(Duration.ofSeconds(30));
        try (IceClient client = new IceClient(); DatagramSocket stranger = new DatagramSocket(0, LOOPBACK)) {
            IceSession session = service.newSession(client.ufrag(), client.pwd(), client.candidates());
            client.connect(session);
            IceConnection connection = session.awaitConnected(Duration.ofSeconds(5));

            InetSocketAddress port = new InetSocketAddress(LOOPBACK, service.port());
            byte[] dtlsLike = {0x16, (byte) 0xfe, (byte) 0xfd, 0, 0};
            // From an address ice4j has never seen a binding request from: dropped by ice4j, uncounted.
            stranger.send(new DatagramPacket(dtlsLike, dtlsLike.length, port));
            stranger.send(new DatagramPacket(new byte[700], 700, port));
            // A binding request for nobody: counted.
            byte[] unknown = bindingRequest("nosuchufrag:" + client.ufrag());
            stranger.send(new DatagramPacket(unknown, unknown.length, port));
            // The session's ufrag without MESSAGE-INTEGRITY: ice4j opens a path for the stranger's address but the
            // STUN stack refuses the request, so what follows from there is not the peer's: held in case the address
            // authenticates (it never does), never delivered, and counted when the session closes.
            byte[] forged = bindingRequest(session.localUfrag() + ":" + client.ufrag());
            stranger.send(new DatagramPacket(forged, forged.length, port));
            Thread.sleep(100);
            stranger.send(new DatagramPacket(dtlsLike, dtlsLike.length, port));
            waitFor(() -> service.strayDatagrams() == 1, Duration.ofSeconds(2));

            client.send("still here".getBytes(US_ASCII));
            assertEquals("still here", receive(connection));
            assertEquals(-1, connection.receive(new byte[1500], 200), "a stray datagram reached the session");
            send(connection, "and back");
            assertEquals("and back", new String(client.receive(2000), US_ASCII));
            assertEquals(1, service.strayDatagrams());
            session.close();
            assertEquals(2, service.strayDatagrams(), "the held datagram of the unauthenticated address");
        }
    }

    @Test
    void awaitConnectedTimesOutWhenNobodyConnects() throws Exception {
        start(Duration.ofSeconds(30));
        IceSession session = service.newSession("abcd", "0123456789abcdefghijkl", List.of());
        long start = System.nanoTime();
        IceException e = assertThrows(IceException.class, () -> session.awaitConnected(Duration.ofMillis(300)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);
        assertTrue(e.getMessage().contains("no ICE connectivity within 300 ms"), e.getMessage());
        session.close();
        IceException closed = assertThrows(IceException.class, () -> session.awaitConnected(Duration.ofSeconds(1)));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void badOffersAreRefusedWithAReason() throws Exception {
        start(Duration.ofSeconds(30));
        assertTrue(assertThrows(IceException.class, () -> service.newSession("abc", "0123456789abcdefghijkl",
                List.of())).getMessage().contains("ice-ufrag"));
        assertTrue(assertThrows(IceException.class, () -> service.newSession("abcd", "short", List.of()))
                .getMessage().contains("ice-pwd"));
        assertTrue(assertThrows(IceException.class, () -> service.newSession("abcd", "0123456789abcdefghijkl",
                List.of("candidate:1 1 udp 1 192.0.2.1 1 typ nonsense"))).getMessage().contains("candidate type"));
        assertTrue(assertThrows(IceException.class, () -> service.newSession("abcd", "0123456789abcdefghijkl",
                java.util.Collections.nCopies(65, "candidate:1 1 udp 1 192.0.2.1 1 typ host"))).getMessage()
                .contains("more than 64"));
        assertEquals(0, service.activeSessions());
        try (IceSession session = service.newSession("abcd", "0123456789abcdefghijkl", List.of())) {
            assertThrows(IllegalArgumentException.class, () -> session.addRemoteCandidate("candidate:1 1 udp"));
            // Ignored, not refused: an mDNS name and a TCP candidate.
            session.addRemoteCandidate("a=candidate:1 1 udp 2113937151 abc-def.local 5000 typ host");
            session.addRemoteCandidate("candidate:2 1 tcp 1518280447 192.0.2.9 9 typ host tcptype active");
        }
    }

    @Test
    void closeReleasesSessionsButKeepsThePortUntilTheServiceCloses() throws Exception {
        start(Duration.ofSeconds(30));
        int port = service.port();
        IceSession first = service.newSession("abcd", "0123456789abcdefghijkl", List.of());
        IceSession second = service.newSession("efgh", "0123456789abcdefghijkl", List.of());
        assertEquals(2, service.activeSessions());
        first.close();
        first.close();
        assertEquals(1, service.activeSessions());
        second.close();
        assertEquals(0, service.activeSessions());
        assertThrows(BindException.class, () -> new DatagramSocket(port, LOOPBACK).close(), "port was released");

        // The port still serves new sessions.
        try (IceClient client = new IceClient()) {
            IceSession session = service.newSession(client.ufrag(), client.pwd(), client.candidates());
            client.connect(session);
            IceConnection connection = session.awaitConnected(Duration.ofSeconds(5));
            connection.close(); // closes the whole session
            assertEquals(0, service.activeSessions());
            assertThrows(IOException.class, () -> connection.receive(new byte[10], 10));
        }

        service.close();
        // The harvester thread lets go of the socket when its blocked receive returns, just after close().
        waitFor(() -> canBind(port), Duration.ofSeconds(2));
        assertThrows(IceException.class, () -> service.newSession("abcd", "0123456789abcdefghijkl", List.of()));
    }

    @Test
    void aTakenPortFailsClearly() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(0, LOOPBACK)) {
            int port = squatter.getLocalPort();
            IceException e = assertThrows(IceException.class, () -> new IceService(new IceConfig(port,
                    List.of(LOOPBACK), Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1))));
            assertTrue(e.getMessage().contains("port " + port), e.getMessage());
        }
    }

    @Test
    void publicAddressIsAdvertisedOnTheSamePort() throws Exception {
        InetAddress publicAddress = InetAddress.getByName("203.0.113.50");
        service = new IceService(new IceConfig(0, List.of(LOOPBACK), Optional.of(publicAddress),
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        IceSession session = service.newSession("abcd", "0123456789abcdefghijkl", List.of());
        List<SdpCandidate> candidates = session.localCandidates().stream().map(SdpCandidate::parse).toList();
        SdpCandidate srflx = candidates.stream().filter(c -> c.type().equals("srflx")).findFirst().orElseThrow();
        assertEquals("203.0.113.50", srflx.address());
        assertEquals(service.port(), srflx.port());
        assertEquals(Optional.of("127.0.0.1"), srflx.relatedAddress());
        session.close();
    }

    private static boolean canBind(int port) {
        try (DatagramSocket socket = new DatagramSocket(port, LOOPBACK)) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    private static List<String> hostAndPorts(IceSession session) {
        return session.localCandidates().stream().map(SdpCandidate::parse).map(c -> c.address() + " " + c.port())
                .toList();
    }

    private static String receive(IceConnection connection) throws IOException {
        byte[] buf = new byte[1500];
        int n = connection.receive(buf, 2000);
        assertTrue(n >= 0, "no datagram within 2 s");
        return new String(buf, 0, n, US_ASCII);
    }

    private static void send(IceConnection connection, String text) throws IOException {
        byte[] bytes = text.getBytes(US_ASCII);
        connection.send(bytes, 0, bytes.length);
    }

    private static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /**
     * A STUN Binding Request (RFC 8489) carrying only USERNAME: header type 0x0001, length, magic cookie 0x2112A442,
     * 12-byte transaction id, then the USERNAME attribute (0x0006) padded to 4 bytes.
     */
    private static byte[] bindingRequest(String username) {
        byte[] name = username.getBytes(US_ASCII);
        int padded = (name.length + 3) & ~3;
        byte[] m = new byte[20 + 4 + padded];
        m[1] = 0x01;                                     // Binding Request
        m[2] = (byte) ((4 + padded) >> 8);
        m[3] = (byte) (4 + padded);                      // message length, after the header
        m[4] = 0x21; m[5] = 0x12; m[6] = (byte) 0xA4; m[7] = 0x42; // magic cookie
        for (int i = 8; i < 20; i++) {
            m[i] = (byte) i;                             // transaction id
        }
        m[21] = 0x06;                                    // USERNAME
        m[22] = (byte) (name.length >> 8);
        m[23] = (byte) name.length;
        System.arraycopy(name, 0, m, 24, name.length);
        return m;
    }
}
