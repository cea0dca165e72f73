package io.estuary.protocols.whip;

import io.estuary.media.router.LiveStream;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamBusyException;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.protocols.auth.PublishAuthorizer;
import io.estuary.protocols.auth.PublishDecision;
import io.estuary.protocols.ingest.IngestLog;
import io.estuary.protocols.webrtc.dtls.DtlsCertificate;
import io.estuary.protocols.webrtc.dtls.DtlsEndpoint;
import io.estuary.protocols.webrtc.dtls.DtlsException;
import io.estuary.protocols.webrtc.ice.IceException;
import io.estuary.protocols.webrtc.ice.IceService;
import io.estuary.protocols.webrtc.ice.IceSession;
import io.estuary.protocols.webrtc.sdp.AnswerParams;
import io.estuary.protocols.webrtc.sdp.Fingerprint;
import io.estuary.protocols.webrtc.sdp.Negotiation;
import io.estuary.protocols.webrtc.sdp.SdpAnswer;
import io.estuary.protocols.webrtc.sdp.SdpException;
import io.estuary.protocols.webrtc.sdp.SdpOffer;
import io.estuary.protocols.webrtc.srtp.SrtpSession;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WHIP resource (RFC 9725) without HTTP: the server's routes hand it a request's method, path parts, headers
 * and body, and write back the {@link WhipResponse}. Creating a session parses and answers the offer, claims the
 * stream in the ingest registry, and starts the session's thread; everything that waits (ICE, DTLS, media) happens
 * there. Callers still run it off the event loop: ice4j allocates the agent's candidates synchronously.
 */
public final class WhipService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WhipService.class);
    public static final String SDP = "application/sdp";
    public static final String TRICKLE = "application/trickle-ice-sdpfrag";
    /** An offer from a browser is a few KiB; the SDP parser bounds it too. */
    public static final int MAX_BODY = 64 * 1024;

    private final WhipConfig config;
    private final StreamRegistry registry;
    private final PublishAuthorizer authorizer;
    private final IceService ice;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final Map<String, WhipSession> sessions = new ConcurrentHashMap<>();
    private final WhipStats stats = new WhipStats();
    private final SecureRandom random = new SecureRandom();

    public WhipService(WhipConfig config, StreamRegistry registry, PublishAuthorizer authorizer) throws IceException {
        this.config = config;
        this.registry = registry;
        this.authorizer = authorizer;
        this.ice = new IceService(config.ice());
        SrtpSession.warmUp(); // at start-up, not inside the first publisher's session
        // In the background: start-up need not wait for it, only the first publishers would.
        Thread dtlsWarmUp = new Thread(this::warmUpDtls, "whip-dtls-warm-up");
        dtlsWarmUp.setDaemon(true);
        dtlsWarmUp.start();
    }

    private void warmUpDtls() {
        try {
            log.debug("DTLS warmed up in {} ms", DtlsEndpoint.warmUp(certificate, Duration.ofSeconds(10)).toMillis());
        } catch (DtlsException e) {
            log.warn("the DTLS warm-up handshake failed; WHIP sessions will likely fail the same way: {}",
                    e.getMessage());
        }
    }

    /** {@code POST /{app}/{name}/whip}: an offer in, a session and its answer out. */
    public WhipResponse offer(String app, String name, String bearer, String contentType, String body,
            InetSocketAddress remote) {
        if (!isOfType(contentType, SDP)) {
            return WhipResponse.error(415, "the offer must be " + SDP);
        }
        PublishDecision decision = authorizer.authorize(app, name, bearer);
        if (decision instanceof PublishDecision.Refused refused) {
            IngestLog.refused("whip", app + "/" + name, printable(remote), refused.reason());
            return refused.invalidName() ? WhipResponse.error(400, refused.reason())
                    : WhipResponse.unauthorized(refused.reason());
        }
        PublishDecision.Allowed allowed = (PublishDecision.Allowed) decision;
        if (sessions.size() >= config.maxSessions()) {
            String reason = "too many WHIP sessions (" + config.maxSessions() + ")";
            IngestLog.refused("whip", app + "/" + name, printable(remote), reason);
            return WhipResponse.error(503, reason);
        }
        Negotiation negotiation;
        try {
            negotiation = Negotiation.of(SdpOffer.parse(body));
        } catch (SdpException e) {
            IngestLog.refused("whip", app + "/" + name, printable(remote), e.getMessage());
            return WhipResponse.error(e.notAcceptable() ? 406 : 400, e.getMessage());
        }
        StreamKey key = allowed.key();
        String id = HexFormat.of().formatHex(bytes(16)); // the Location is the session's capability: unguessable
        IceSession iceSession;
        try {
            iceSession = ice.newSession(negotiation.remoteIceUfrag(), negotiation.remoteIcePwd(),
                    negotiation.remoteCandidates());
        } catch (IceException e) {
            log.warn("{}: ICE session for a WHIP offer failed", key, e);
            return WhipResponse.error(500, "could not start ICE: " + e.getMessage());
        }
        // The answer before the stream is claimed: nothing can fail between claiming it and starting the session.
        String answer = SdpAnswer.write(negotiation, new AnswerParams(iceSession.localUfrag(),
                iceSession.localPwd(), new Fingerprint("sha-256", certificate.fingerprintSha256()),
                iceSession.localCandidates(), random.nextLong() >>> 2));
        // A takeover or an operator may drop the stream at once, before the session exists: the reason waits.
        AtomicReference<WhipSession> created = new AtomicReference<>();
        AtomicReference<String> droppedEarly = new AtomicReference<>();
        LiveStream stream;
        try {
            stream = registry.publish(key, new PublisherInfo("whip", remote == null ? null
                    : remote.getAddress().getHostAddress(), remote == null ? 0 : remote.getPort(),
                    allowed.credential()), reason -> {
                        WhipSession s = created.get();
                        if (s != null) {
                            s.close(reason);
                        } else {
                            droppedEarly.set(reason);
                        }
                    });
        } catch (StreamBusyException e) {
            iceSession.close();
            String reason = "stream " + key + " is being published by someone else";
            IngestLog.refused("whip", key.toString(), printable(remote), reason);
            return WhipResponse.error(409, reason);
        }
        WhipSession session = new WhipSession(id, key, negotiation, iceSession, stream, config, stats, certificate,
                printable(remote), s -> sessions.remove(s.id(), s));
        created.set(session);
        if (droppedEarly.get() != null) {
            session.close(droppedEarly.get());
        }
        sessions.put(id, session);
        Thread thread = new Thread(session, "whip-" + key);
        thread.setDaemon(true);
        thread.start();
        log.debug("{}: WHIP session {} offered by {} ({}{})", key, id, remote,
                negotiation.video().map(v -> "video " + v.codec().name()).orElse("no video"),
                negotiation.audio().map(a -> ", audio " + a.codec().name()).orElse(", no audio"));
        return new WhipResponse(201, SDP, answer, Map.of("Location", location(key, id), "ETag", etag(id)));
    }

    /** {@code DELETE} on the session's Location: the publisher is done. */
    public WhipResponse delete(String app, String name, String id) {
        WhipSession session = find(app, name, id);
        if (session == null) {
            return WhipResponse.error(404, "no such WHIP session");
        }
        session.close("the publisher ended the session (DELETE)");
        return new WhipResponse(200, null, "", Map.of());
    }

    /**
     * {@code PATCH} on the session's Location with a trickle-ice-sdpfrag (RFC 8840): remote candidates the
     * publisher found after its offer. An ICE restart (new credentials) is not supported, as RFC 9725 allows.
     */
    public WhipResponse patch(String app, String name, String id, String contentType, String ifMatch, String body) {
        WhipSession session = find(app, name, id);
        if (session == null) {
            return WhipResponse.error(404, "no such WHIP session");
        }
        if (!isOfType(contentType, TRICKLE)) {
            return WhipResponse.error(415, "a PATCH must be " + TRICKLE);
        }
        if (ifMatch == null) {
            return WhipResponse.error(428, "a PATCH needs If-Match with the session's ETag");
        }
        if (!ifMatch.equals("*") && !ifMatch.equals(etag(id))) {
            return WhipResponse.error(412, "If-Match does not match the session's ETag");
        }
        for (String line : body.split("\r?\n")) {
            if (line.startsWith("a=ice-ufrag:") || line.startsWith("a=ice-pwd:")) {
                String value = line.substring(line.indexOf(':') + 1).trim();
                Negotiation n = session.negotiation();
                boolean same = line.startsWith("a=ice-ufrag:") ? value.equals(n.remoteIceUfrag())
                        : value.equals(n.remoteIcePwd());
                if (!same) {
                    return WhipResponse.error(501, "ICE restarts are not supported: start a new session");
                }
            } else if (line.startsWith("a=candidate:")) {
                session.ice().addRemoteCandidate(line.substring(2).trim());
            }
        }
        return new WhipResponse(204, null, "", Map.of("ETag", etag(id)));
    }

    private WhipSession find(String app, String name, String id) {
        WhipSession session = id == null ? null : sessions.get(id);
        if (session == null || !session.key().equals(new StreamKey(app, name))) {
            return null;
        }
        return session;
    }

    /** The WHIP session publishing {@code key}, as operators see it; empty when none does. */
    public Optional<WhipSessionInfo> session(StreamKey key) {
        return sessions.values().stream().filter(s -> s.key().equals(key)).findFirst().map(WhipSession::info);
    }

    public WhipStats stats() {
        return stats;
    }

    public int activeSessions() {
        return sessions.size();
    }

    /** The UDP port media arrives on (the configured one, or the one picked when it was 0). */
    public int udpPort() {
        return ice.port();
    }

    /** Datagrams on the shared port that belong to no session. */
    public long strayDatagrams() {
        return ice.strayDatagrams();
    }

    /** Whether a Content-Type names {@code type} (parameters such as a charset allowed, case ignored). */
    private static boolean isOfType(String contentType, String type) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(type);
    }

    /** host:port as the ingest log lines write a publisher's address. */
    static String printable(InetSocketAddress remote) {
        return remote == null ? "unknown" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    public static String location(StreamKey key, String id) {
        return "/" + key.app() + "/" + key.name() + "/whip/" + id;
    }

    private static String etag(String id) {
        return "\"" + id + "\"";
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        for (WhipSession s : List.copyOf(sessions.values())) {
            s.close("the server is stopping");
        }
        ice.close();
    }
}
