package io.estuary.protocols.webrtc.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HostCandidateHarvester;
import org.ice4j.ice.harvest.StaticMappingCandidateHarvester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one ICE port: binds it on every host address at construction and muxes all sessions on it (ice4j
 * routes a datagram by its source address, and the first one from a new address by the ufrag of its STUN request).
 */
public final class IceService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IceService.class);

    private final IceConfig config;
    private final List<MuxedUdpHarvester> bound;
    private final List<CandidateHarvester> harvesters;
    private final int port;
    private final LongAdder strays = new LongAdder();
    private final Set<IceSession> sessions = ConcurrentHashMap.newKeySet();
    private boolean closed;

    public IceService(IceConfig config) throws IceException {
        this.config = config;
        Ice4jSettings.applyOnce();
        List<MuxedUdpHarvester> harvestersBound = new ArrayList<>();
        int chosenPort = config.port();
        for (InetAddress address : addressesToBind(config)) {
            try {
                MuxedUdpHarvester h =
                        new MuxedUdpHarvester(new TransportAddress(address, chosenPort, Transport.UDP), strays);
                harvestersBound.add(h);
                // With port 0 the first bind picks the port; every other address must use the same one.
                chosenPort = h.getLocalAddress().getPort();
            } catch (IOException e) {
                harvestersBound.forEach(MuxedUdpHarvester::close);
                throw new IceException("cannot bind UDP " + address.getHostAddress() + " port " + chosenPort + " for"
                        + " WebRTC media (" + e.getMessage() + "); is another server using it?", e);
            }
        }
        this.bound = List.copyOf(harvestersBound);
        this.port = chosenPort;
        List<CandidateHarvester> all = new ArrayList<>(bound);
        publicAddressHarvester(config, bound, port).ifPresent(all::add);
        this.harvesters = List.copyOf(all);
        log.info("WebRTC ICE listening on UDP port {} of {}{}", port,
                bound.stream().map(h -> h.getLocalAddress().getHostAddress()).toList(),
                config.publicAddress().map(a -> ", advertising public address " + a.getHostAddress()).orElse(""));
    }

    /**
     * A controlled ICE agent for one WHIP offer.
     *
     * @param remoteCandidates SDP attribute values from the offer; mDNS, TCP and RTCP-component candidates are ignored
     * @throws IceException for bad credentials or candidates, more than 64 candidates, or once closed
     */
    public IceSession newSession(String remoteUfrag, String remotePwd, List<String> remoteCandidates)
            throws IceException {
        if (isClosed()) {
            throw new IceException("ICE service closed", null);
        }
        IceSession session = new IceSession(harvesters, remoteUfrag, remotePwd, remoteCandidates,
                config.consentTimeout(), strays, sessions::remove);
        sessions.add(session);
        if (isClosed()) {
            // close() ran while the agent was being built and did not see this session.
            session.close();
            throw new IceException("ICE service closed", null);
        }
        return session;
    }

    public int port() {
        return port;
    }

    public int activeSessions() {
        return sessions.size();
    }

    /**
     * Datagrams on the port that belong to no session (counted, dropped): STUN binding requests with an unknown ufrag,
     * and payload from an address no authenticated check came from. ice4j drops anything else from an address it
     * has never seen a binding request from before Estuary sees it, so those are not counted.
     */
    public long strayDatagrams() {
        return strays.sum();
    }

    /** Closes every session, then unbinds the port. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (IceSession session : List.copyOf(sessions)) {
            session.close();
        }
        bound.forEach(MuxedUdpHarvester::close);
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private static Set<InetAddress> addressesToBind(IceConfig config) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        try {
            // Loopback first: ice4j never harvests it, and tests and local publishers need it.
            addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        addresses.addAll(config.hostAddresses().isEmpty()
                ? HostCandidateHarvester.getAllAllowedAddresses()
                : config.hostAddresses());
        return addresses;
    }

    /**
     * Behind NAT, the public address is advertised as a server-reflexive candidate on the same port, based on the
     * first non-loopback host address (the one the NAT forwards to).
     */
    private static Optional<CandidateHarvester> publicAddressHarvester(IceConfig config,
            List<MuxedUdpHarvester> bound, int port) {
        if (config.publicAddress().isEmpty()) {
            return Optional.empty();
        }
        InetAddress publicAddress = config.publicAddress().get();
        boolean alreadyHost = bound.stream().anyMatch(h -> h.getLocalAddress().getAddress().equals(publicAddress));
        if (alreadyHost) {
            return Optional.empty();
        }
        TransportAddress face = bound.stream()
                .map(MuxedUdpHarvester::getLocalAddress)
                .filter(a -> !a.getAddress().isLoopbackAddress())
                .findFirst()
                .orElse(bound.get(0).getLocalAddress());
        return Optional.of(new StaticMappingCandidateHarvester(
                new TransportAddress(publicAddress, port, Transport.UDP), face, "public-address", false));
    }
}
