package io.estuary.protocols.webrtc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The publisher's side of ICE, for tests and the WHIP load publisher: a controlling ice4j agent (the WHIP client
 * offers, so it controls, RFC 8445 section 6.1.1) with one host candidate on 127.0.0.1 and an ephemeral port of its
 * own (ice4j never harvests loopback by itself). Once connected, {@link #send} and {@link #receive} carry the
 * DTLS/SRTP datagrams over the selected pair; ice4j answers the STUN of consent freshness by itself.
 *
 * <p>Each client costs an ice4j agent (its socket and the agent's shared timer threads), so a load generator can
 * run hundreds of them in one JVM.
 */
public final class IceClient implements AutoCloseable {
    /** A datagram on an ICE 5-tuple is MTU-bounded; longer ones are not the peer's. */
    private static final int MAX_DATAGRAM = 2048;

    private final Agent agent = new Agent();
    private final IceMediaStream stream;
    private final Component component;
    private final CountDownLatch connected = new CountDownLatch(1);

    public IceClient() throws IOException {
        agent.setControlling(true);
        agent.setUseDynamicPorts(false);
        agent.addCandidateHarvester(new LoopbackHarvester());
        stream = agent.createMediaStream("media");
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
        agent.addStateChangeListener(e -> {
            if (e.getNewValue() == IceProcessingState.COMPLETED || e.getNewValue() == IceProcessingState.TERMINATED
                    || e.getNewValue() == IceProcessingState.FAILED) {
                connected.countDown();
            }
        });
    }

    public String ufrag() {
        return agent.getLocalUfrag();
    }

    public String pwd() {
        return agent.getLocalPassword();
    }

    public InetSocketAddress address() {
        return component.getLocalCandidates().get(0).getTransportAddress();
    }

    /** The client's candidates as an offer carries them (attribute values, without {@code a=}). */
    public List<String> candidates() {
        List<String> out = new ArrayList<>();
        for (LocalCandidate c : component.getLocalCandidates()) {
            out.add(new SdpCandidate(c.getFoundation(), 1, "udp", c.getPriority(),
                    c.getTransportAddress().getHostString(), c.getTransportAddress().getPort(), "host",
                    Optional.empty(), OptionalInt.empty()).toAttributeValue());
        }
        return out;
    }

    /** Connects to a server session of this JVM (tests): its ufrag, pwd and candidates, within 5 s. */
    public void connect(IceSession server) throws IceException {
        connect(server.localUfrag(), server.localPwd(), server.localCandidates(), Duration.ofSeconds(5));
    }

    /**
     * Starts connectivity checks against the answer's credentials and candidates (attribute values) and waits for a
     * nominated pair. Candidates that are not UDP or not an IP literal are skipped: nothing here resolves names.
     *
     * @throws IceException when no candidate is usable, ICE fails, or no pair is selected within {@code timeout}
     */
    public void connect(String remoteUfrag, String remotePwd, List<String> remoteCandidates, Duration timeout)
            throws IceException {
        stream.setRemoteUfrag(remoteUfrag);
        stream.setRemotePassword(remotePwd);
        int added = 0;
        for (String attribute : remoteCandidates) {
            SdpCandidate c = SdpCandidate.parse(attribute);
            Optional<InetAddress> address = c.ipAddress();
            if (!c.isUdp() || address.isEmpty()) {
                continue;
            }
            component.addRemoteCandidate(new RemoteCandidate(
                    new TransportAddress(address.get(), c.port(), Transport.UDP), component,
                    CandidateType.parse(c.type()), c.foundation(), c.priority(), null));
            added++;
        }
        if (added == 0) {
            throw new IceException("no usable remote candidate in " + remoteCandidates, null);
        }
        agent.startConnectivityEstablishment();
        try {
            if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IceException("no pair selected within " + timeout + ", agent " + agent.getState(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IceException("interrupted while connecting", e);
        }
        if (agent.getState() != IceProcessingState.COMPLETED && agent.getState() != IceProcessingState.TERMINATED) {
            throw new IceException("ICE ended in state " + agent.getState(), null);
        }
    }

    public void send(byte[] payload) throws IOException {
        send(payload, 0, payload.length);
    }

    public void send(byte[] payload, int offset, int length) throws IOException {
        component.send(payload, offset, length);
    }

    /** The next payload datagram from the server, or null after timeoutMillis. */
    public byte[] receive(int timeoutMillis) throws IOException {
        byte[] buf = new byte[MAX_DATAGRAM];
        int n = receive(buf, timeoutMillis);
        return n < 0 ? null : Arrays.copyOf(buf, n);
    }

    /**
     * Receives the next payload datagram into {@code buf} (STUN stays with ice4j).
     *
     * @return its length, or -1 after timeoutMillis
     * @throws IOException when the client is closed
     */
    public int receive(byte[] buf, int timeoutMillis) throws IOException {
        DatagramSocket socket = component.getSocket();
        socket.setSoTimeout(timeoutMillis);
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return p.getLength();
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
