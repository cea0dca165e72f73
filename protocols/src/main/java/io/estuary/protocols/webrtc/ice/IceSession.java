package io.estuary.protocols.webrtc.ice;

import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ICE side of one WHIP session: a controlled ice4j agent with one stream and one component (BUNDLE and
 * rtcp-mux, as WHIP requires), whose only local candidates are the service's muxed port on each host address.
 */
public final class IceSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IceSession.class);

    /** RFC 8839 section 5.4: ice-ufrag is 4 to 256 ice-chars, ice-pwd 22 to 256. */
    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]*");

    /** An offer with more is hostile or broken; each candidate costs a pair and checks. */
    static final int MAX_REMOTE_CANDIDATES = 64;

    private final Agent agent;
    private final Component component;
    private final AgentConnection connection;
    private final List<String> localCandidates;
    private final CompletableFuture<AgentConnection> selected = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<IceSession> onClose;
    private volatile int remoteCandidateCount;

    IceSession(List<? extends CandidateHarvester> harvesters, String remoteUfrag, String remotePwd,
            List<String> remoteCandidates, Duration consentTimeout, LongAdder strays, Consumer<IceSession> onClose) throws IceException {
        checkCredential(remoteUfrag, "ice-ufrag", 4);
        checkCredential(remotePwd, "ice-pwd", 22);
        if (remoteCandidates.size() > MAX_REMOTE_CANDIDATES) {
            throw new IceException("offer has " + remoteCandidates.size() + " candidates, more than "
                    + MAX_REMOTE_CANDIDATES, null);
        }
        List<SdpCandidate> parsed = new ArrayList<>();
        for (String attribute : remoteCandidates) {
            try {
                parsed.add(SdpCandidate.parse(attribute));
            } catch (IllegalArgumentException e) {
                throw new IceException("bad remote candidate: " + e.getMessage(), e);
            }
        }
        this.onClose = onClose;
        this.agent = new Agent();
        try {
            agent.setControlling(false);
            agent.setUseDynamicPorts(false);
            agent.setPerformConsentFreshness(true);
            harvesters.forEach(agent::addCandidateHarvester);
            IceMediaStream stream = agent.createMediaStream("media");
            stream.setRemoteUfrag(remoteUfrag);
            stream.setRemotePassword(remotePwd);
            // Harvesting happens inside createComponent; without the component socket, payload comes through the
            // push callback.
            component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
            connection = new AgentConnection(component, consentTimeout.toNanos(), strays, this::close);
            component.setBufferCallback(connection);
            localCandidates = component.getLocalCandidates().stream()
                    .sorted(Comparator.comparingLong(LocalCandidate::getPriority).reversed())
                    .map(IceSession::toSdp)
                    .map(SdpCandidate::toAttributeValue)
                    .toList();
            if (localCandidates.isEmpty()) {
                throw new IceException("no local candidate: the muxed port is not bound on any address", null);
            }
            watchLiveness(stream);
            agent.addStateChangeListener(this::stateChanged);
            for (SdpCandidate candidate : parsed) {
                addRemote(candidate, false);
            }
            agent.startConnectivityEstablishment();
        } catch (IOException | RuntimeException e) {
            agent.free();
            throw new IceException("cannot create the ICE agent: " + e.getMessage(), e);
        } catch (IceException e) {
            agent.free();
            throw e;
        }
    }

    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    public String localPwd() {
        return agent.getLocalPassword();
    }

    /** SDP attribute values, {@code candidate:...} (no {@code a=}), best first. */
    public List<String> localCandidates() {
        return localCandidates;
    }

    /**
     * Adds a trickled candidate (WHIP PATCH). mDNS {@code .local} names, other names and non-UDP or non-RTP-component
     * candidates are ignored: the browser's own checks reach us anyway and become peer-reflexive candidates.
     * Candidates arriving after a pair is selected are ignored too.
     *
     * @throws IllegalArgumentException for a malformed attribute
     */
    public void addRemoteCandidate(String candidateAttribute) {
        SdpCandidate candidate = SdpCandidate.parse(candidateAttribute);
        if (closed.get() || selected.isDone()) {
            return;
        }
        addRemote(candidate, true);
    }

    /** Blocks the calling (session) thread until a pair is selected. */
    public IceConnection awaitConnected(Duration timeout) throws IceException {
        try {
            return selected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IceException("no ICE connectivity within " + timeout.toMillis() + " ms (agent "
                    + agent.getState() + ", " + remoteCandidateCount + " usable remote candidates)", e);
        } catch (ExecutionException e) {
            throw new IceException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IceException("interrupted while waiting for ICE", e);
        }
    }

    /** Datagrams dropped because the session thread did not keep up with {@link IceConnection#receive}. */
    public long droppedDatagrams() {
        return connection.droppedDatagrams();
    }

    /** Frees the agent (its sockets on the muxed port, its STUN stack); idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        selected.completeExceptionally(new IllegalStateException("ICE session closed"));
        connection.shutDown();
        agent.free();
        onClose.accept(this);
    }

    private synchronized void addRemote(SdpCandidate c, boolean trickled) {
        Optional<InetAddress> ip = c.ipAddress();
        if (!c.isUdp() || c.componentId() != Component.RTP || ip.isEmpty()) {
            log.debug("ignoring remote candidate {}", c.toAttributeValue());
            return;
        }
        RemoteCandidate remote = new RemoteCandidate(new TransportAddress(ip.get(), c.port(), Transport.UDP),
                component, CandidateType.parse(c.type()), c.foundation(), c.priority(), null);
        if (trickled) {
            component.addUpdateRemoteCandidates(remote);
            component.updateRemoteCandidates();
        } else {
            component.addRemoteCandidate(remote);
        }
        remoteCandidateCount++;
    }

    /** Anything authenticated from the remote keeps consent alive, as does an answered consent check of ours. */
    private void watchLiveness(IceMediaStream stream) {
        // The agent's STUN stack is its own, and requests reach listeners only after their MESSAGE-INTEGRITY is checked
        // (and required: Ice4jSettings).
        agent.getStunStack().addRequestListener(event -> connection.authenticated(event.getRemoteAddress()));
        stream.addPairChangeListener(event -> {
            if (IceMediaStream.PROPERTY_PAIR_CONSENT_FRESHNESS_CHANGED.equals(event.getPropertyName())) {
                connection.heard();
            }
        });
    }

    private void stateChanged(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName())) {
            return;
        }
        IceProcessingState state = (IceProcessingState) event.getNewValue();
        if (state == IceProcessingState.COMPLETED || state == IceProcessingState.TERMINATED) {
            CandidatePair pair = component.getSelectedPair();
            if (pair != null && !selected.isDone()) {
                connection.connected(pair.getRemoteCandidate().getTransportAddress());
                selected.complete(connection);
                log.info("ICE {} connected to {}", agent.getLocalUfrag(), connection.remote());
            }
        } else if (state == IceProcessingState.FAILED) {
            selected.completeExceptionally(new IllegalStateException(
                    "ICE failed: no candidate pair worked (" + remoteCandidateCount + " usable remote candidates)"));
        }
    }

    private static void checkCredential(String value, String name, int minLength) throws IceException {
        if (value == null || value.length() < minLength || value.length() > 256
                || !ICE_CHARS.matcher(value).matches()) {
            throw new IceException("bad remote " + name + ": RFC 8839 wants " + minLength
                    + " to 256 characters of A-Z a-z 0-9 + /, got " + (value == null ? "none" : value.length()
                    + " characters"), null);
        }
    }

    private static SdpCandidate toSdp(LocalCandidate c) {
        TransportAddress address = c.getTransportAddress();
        Optional<String> relatedAddress = Optional.empty();
        OptionalInt relatedPort = OptionalInt.empty();
        TransportAddress related = c.getRelatedAddress();
        if (related != null) {
            relatedAddress = Optional.of(literal(related.getAddress()));
            relatedPort = OptionalInt.of(related.getPort());
        }
        return new SdpCandidate(c.getFoundation(), Component.RTP, "udp", c.getPriority(), literal(address.getAddress()),
                address.getPort(), c.getType().toString(), relatedAddress, relatedPort);
    }

    /** The address as text, without an IPv6 scope ({@code %eth0}) that means nothing to the remote. */
    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
