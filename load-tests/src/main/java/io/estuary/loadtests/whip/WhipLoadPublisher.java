package io.estuary.loadtests.whip;

import io.estuary.protocols.webrtc.srtp.SrtpSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Publishes a prepared clip over WHIP (RFC 9725) from this JVM, many streams at once, the way a browser does: an
 * SDP offer of H.264 and Opus POSTed with a Bearer token, ICE as the controlling agent, DTLS as client, then
 * SRTP in real time with sender reports, NACKed video packets retransmitted, and a DELETE at the end.
 *
 * <p>Cost: each publication has two threads of its own (sending, paced by timestamps; receiving, for DTLS and the
 * server's RTCP), plus the DTLS association's reader thread and an ice4j agent with its socket; a stream costs
 * about 1 MB of history and queues and no encoding. Hundreds fit in one JVM; thousands would want a shared
 * scheduler.
 */
public final class WhipLoadPublisher implements AutoCloseable {
    private final WhipClip clip;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<WhipPublication> publications = new ArrayList<>();

    /**
     * @param clip         what every stream sends
     * @param startTimeout how long a stream may take from its POST to the end of the DTLS handshake
     */
    public WhipLoadPublisher(WhipClip clip, Duration startTimeout) {
        this.clip = Objects.requireNonNull(clip, "clip");
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
        SrtpSession.warmUp(); // before any stream paces: a first use stalls every stream of this JVM at once
    }

    /**
     * Starts publishing to a WHIP endpoint ({@code http://host:port/app/name/whip}); returns at once. Watch
     * {@link WhipPublication#started()} for the outcome.
     *
     * @param bearer the stream key, sent as {@code Authorization: Bearer}; null for none
     */
    public WhipPublication publish(URI endpoint, String bearer) {
        return start(endpoint, bearer, false, false);
    }

    /**
     * As {@link #publish}, offering {@code a=setup:passive}: this publisher runs the DTLS server and the server under
     * test must take the client role (RFC 5763 section 5), which browsers (always actpass) never ask of it.
     */
    public WhipPublication publishAsDtlsServer(URI endpoint, String bearer) {
        return start(endpoint, bearer, false, true);
    }

    /**
     * As {@link #publish}, but the offer carries the fingerprint of a certificate other than the one the DTLS
     * handshake presents, as a man in the middle would: the server must refuse the handshake (RFC 8827 section
     * 6.5) and end that session only.
     */
    public WhipPublication publishWithForeignFingerprint(URI endpoint, String bearer) {
        return start(endpoint, bearer, true, false);
    }

    private synchronized WhipPublication start(URI endpoint, String bearer, boolean foreignFingerprint,
            boolean dtlsServer) {
        String name = publications.size() + "-" + endpoint.getPath().replaceAll("[^A-Za-z0-9]+", "-");
        WhipPublication p = new WhipPublication(name, endpoint, bearer, clip, http, startTimeout,
                foreignFingerprint, dtlsServer);
        publications.add(p);
        p.start();
        return p;
    }

    public synchronized List<WhipPublication> publications() {
        return List.copyOf(publications);
    }

    public WhipClip clip() {
        return clip;
    }

    /** Stops every publication (each DELETEs its session); a few seconds at most per stream. */
    @Override
    public void close() {
        publications().parallelStream().forEach(WhipPublication::stop);
    }
}
