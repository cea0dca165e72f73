package io.estuary.protocols.webrtc.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;

/**
 * ice4j's single-port harvester for one local address, counting the STUN binding requests whose ufrag belongs to no
 * session. (ice4j drops other datagrams from unknown sources before any hook of ours, so those are not counted.)
 */
final class MuxedUdpHarvester extends SinglePortUdpHarvester {

    private final LongAdder strays;

    MuxedUdpHarvester(TransportAddress address, LongAdder strays) throws IOException {
        super(address);
        this.strays = strays;
    }

    @Override
    protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remoteAddress, String ufrag) {
        MySocket socket = super.maybeAcceptNewSession(buf, remoteAddress, ufrag);
        // The harvester thread starts inside super(), so a request can arrive before strays is assigned; and any
        // exception here would kill that thread, and with it the port.
        if (socket == null && strays != null) {
            strays.increment();
        }
        return socket;
    }
}
