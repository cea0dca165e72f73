package io.estuary.protocols.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.util.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Datagrams that overtake their address's authentication (a peer's DTLS ClientHello right behind its binding
 * request) are held and delivered once the address authenticates; an address that never does gets nothing
 * delivered, and what it sent is counted as stray.
 */
class AgentConnectionTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);

    private final LongAdder strays = new LongAdder();
    private final AgentConnection connection = new AgentConnection(null, 30_000_000_000L, strays, () -> { });

    @Test
    void aDatagramAheadOfItsAuthenticationIsDeliveredAfterIt() throws Exception {
        connection.handleBuffer(datagram(PEER, 22, 1));
        byte[] buf = new byte[100];
        assertEquals(-1, connection.receive(buf, 10), "not delivered before the address authenticates");
        connection.authenticated(PEER);
        connection.handleBuffer(datagram(PEER, 22, 2));
        assertEquals(2, connection.receive(buf, 100));
        assertArrayEquals(new byte[] {22, 1}, java.util.Arrays.copyOf(buf, 2), "held first, in order");
        assertEquals(2, connection.receive(buf, 100));
        assertEquals(2, buf[1]);
        assertEquals(0, strays.sum());
    }

    @Test
    void anAddressThatNeverAuthenticatesGetsNothingDeliveredAndIsCounted() throws Exception {
        for (int i = 0; i < AgentConnection.MAX_UNVERIFIED_DATAGRAMS + 3; i++) {
            connection.handleBuffer(datagram(STRANGER, 23, i));
        }
        assertEquals(3, strays.sum(), "beyond the bound: strays at once");
        assertEquals(-1, connection.receive(new byte[100], 10));
        connection.shutDown();
        assertEquals(AgentConnection.MAX_UNVERIFIED_DATAGRAMS + 3, strays.sum(), "the held ones when it closes");
    }

    private static Buffer datagram(InetSocketAddress from, int first, int second) {
        return new Buffer(new byte[] {(byte) first, (byte) second}, 0, 2, null, null, from);
    }
}
