package io.estuary.protocols.webrtc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.AbstractCandidateHarvester;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

/**
 * A WHIP client's ICE side for tests: a controlling ice4j agent with one host candidate on 127.0.0.1 and an ephemeral
 * port of its own (ice4j never harvests loopback by itself).
 */
final class LoopbackIceClient implements AutoCloseable {

    private final Agent agent = new Agent();
    private final IceMediaStream stream;
    private final Component component;
    private final CountDownLatch connected = new CountDownLatch(1);

    LoopbackIceClient() throws IOException {
        agent.setControlling(true);
        agent.setUseDynamicPorts(false);
        agent.addCandidateHarvester(new LoopbackHarvester());
        stream = agent.createMediaStream("media");
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
        agent.addStateChangeListener(e -> {
            if (e.getNewValue() == IceProcessingState.COMPLETED || e.getNewValue() == IceProcessingState.TERMINATED) {
                connected.countDown();
            }
        });
    }

    String ufrag() {
        return agent.getLocalUfrag();
    }

    String pwd() {
        return agent.getLocalPassword();
    }

    InetSocketAddress address() {
        return component.getLocalCandidates().get(0).getTransportAddress();
    }

    /** The client's candidates as an offer would carry them. */
    List<String> candidates() {
        List<String> out = new ArrayList<>();
        for (LocalCandidate c : component.getLocalCandidates()) {
            out.add(new SdpCandidate(c.getFoundation(), 1, "udp", c.getPriority(),
                    c.getTransportAddress().getHostString(), c.getTransportAddress().getPort(), "host",
                    Optional.empty(), OptionalInt.empty()).toAttributeValue());
        }
        return out;
    }

    /** Starts checks against the server's answer (ufrag, pwd, candidates) and waits for a nominated pair. */
    void connect(IceSession server) throws Exception {
        stream.setRemoteUfrag(server.localUfrag());
        stream.setRemotePassword(server.localPwd());
        for (String attribute : server.localCandidates()) {
            SdpCandidate c = SdpCandidate.parse(attribute);
            component.addRemoteCandidate(new RemoteCandidate(
                    new TransportAddress(InetAddress.getByName(c.address()), c.port(), Transport.UDP), component,
                    CandidateType.parse(c.type()), c.foundation(), c.priority(), null));
        }
        agent.startConnectivityEstablishment();
        if (!connected.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("client did not connect, agent state " + agent.getState());
        }
    }

    void send(byte[] payload) throws IOException {
        component.send(payload, 0, payload.length);
    }

    /** The next payload datagram from the server, or null after timeoutMillis. */
    byte[] receive(int timeoutMillis) throws IOException {
        DatagramSocket socket = component.getSocket();
        socket.setSoTimeout(timeoutMillis);
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }

    @Override
    public void close() {
        agent.free();
    }

    /** Binds 127.0.0.1 on an ephemeral port, the way ice4j's host harvester binds other addresses. */
    private static final class LoopbackHarvester extends AbstractCandidateHarvester {

        @Override
        public Collection<LocalCandidate> harvest(Component component) {
            try {
                MultiplexingDatagramSocket socket =
                        new MultiplexingDatagramSocket(0, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
                HostCandidate candidate = new HostCandidate(new IceUdpSocketWrapper(socket), component);
                component.addLocalCandidate(candidate);
                candidate.getStunStack().addSocket(candidate.getStunSocket(null));
                component.getComponentSocket().add(socket);
                return List.of(candidate);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean isHostHarvester() {
            return true;
        }
    }
}
