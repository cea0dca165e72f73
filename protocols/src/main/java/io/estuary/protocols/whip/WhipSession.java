package io.estuary.protocols.whip;

import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.protocols.ingest.IngestLog;
import io.estuary.protocols.webrtc.dtls.DtlsCertificate;
import io.estuary.protocols.webrtc.dtls.DtlsEndpoint;
import io.estuary.protocols.webrtc.dtls.DtlsException;
import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.DtlsSession;
import io.estuary.protocols.webrtc.dtls.QueuedDatagramTransport;
import io.estuary.protocols.webrtc.ice.IceConnection;
import io.estuary.protocols.webrtc.ice.IceException;
import io.estuary.protocols.webrtc.ice.IceSession;
import io.estuary.protocols.webrtc.rtp.Rtcp;
import io.estuary.protocols.webrtc.sdp.Fingerprint;
import io.estuary.protocols.webrtc.sdp.Negotiation;
import io.estuary.protocols.webrtc.sdp.Setup;
import io.estuary.protocols.webrtc.srtp.SrtpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WHIP publisher, from the answered offer to the end: waits for ICE, runs the DTLS handshake, then receives
 * SRTP/SRTCP and hands it to {@link WhipMedia}, sending back what RTCP it asks for. Runs on a thread of its own
 * (a blocking receive loop with a 20 ms tick): no event loop ever waits for a publisher. The DTLS handshake runs
 * on a second, short-lived thread because BouncyCastle's handshake blocks on its transport while this loop feeds
 * that transport.
 */
final class WhipSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(WhipSession.class);
    /** The receive timeout: how often RTCP feedback (NACK, PLI, reports) is considered. */
    private static final int TICK_MILLIS = 20;
    private static final long TICK_NANOS = TICK_MILLIS * 1_000_000L;
    /** Datagrams on an ICE 5-tuple are MTU-bounded; anything longer is not ours. */
    private static final int MAX_DATAGRAM = 2048;
    private static final int DTLS_MTU = 1200;
    private static final int DTLS_QUEUE = 64;
    /** Media datagrams kept while the DTLS handshake finishes on our side: a keyframe's worth at 30 fps. */
    private static final int MAX_EARLY_MEDIA = 256;

    private final String id;
    private final StreamKey key;
    private final Negotiation negotiation;
    private final IceSession ice;
    private final LiveStream stream;
    private final WhipConfig config;
    private final WhipStats stats;
    private final DtlsCertificate certificate;
    private final Consumer<WhipSession> onClosed;
    private volatile String closeReason;
    /** Whether media started flowing: the end is then a publish stopping, else a publish refused. */
    private boolean receiving;
    // What the API shows of this session: written once each, on the session's thread.
    private volatile String iceRemote;
    private volatile String srtpProfile;
    /** Milliseconds from the session's start (the answer) to ICE connected, then to DTLS done; -1 before. */
    private volatile long iceMillis = -1;
    private volatile long dtlsMillis = -1;
    private volatile WhipMedia mediaShown;
    /** The publisher as the ingest log lines name it: the HTTP client's address. */
    private final String remote;
    private final DtlsRole role;

    WhipSession(String id, StreamKey key, Negotiation negotiation, IceSession ice, LiveStream stream,
            WhipConfig config, WhipStats stats, DtlsCertificate certificate, String remote,
            Consumer<WhipSession> onClosed) {
        this.remote = remote;
        // RFC 5763: an offer of actpass or active makes us the DTLS server; passive, the client.
        this.role = negotiation.localSetup() == Setup.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
        this.id = id;
        this.key = key;
        this.negotiation = negotiation;
        this.ice = ice;
        this.stream = stream;
        this.config = config;
        this.stats = stats;
        this.certificate = certificate;
        this.onClosed = onClosed;
    }

    String id() {
        return id;
    }

    StreamKey key() {
        return key;
    }

    IceSession ice() {
        return ice;
    }

    Negotiation negotiation() {
        return negotiation;
    }

    /** What the API shows of this session, as of now (any thread). */
    WhipSessionInfo info() {
        WhipMedia media = mediaShown;
        long[] c = media == null ? new long[5] : media.sessionCounts();
        return new WhipSessionInfo(id, iceRemote, srtpProfile, role.name().toLowerCase(Locale.ROOT), iceMillis,
                dtlsMillis, c[0], c[1], c[2], c[3], c[4]);
    }

    /** Ends the session from any thread (DELETE, a takeover, shutdown); the session's thread cleans up. */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ice.close(); // unblocks the receive loop or the wait for ICE
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        QueuedDatagramTransport dtls = null;
        CompletableFuture<DtlsSession> handshake = new CompletableFuture<>();
        try {
            IceConnection connection = ice.awaitConnected(config.ice().connectTimeout());
            iceMillis = (System.nanoTime() - started) / 1_000_000;
            iceRemote = connection.remote().getAddress().getHostAddress() + ":" + connection.remote().getPort();
            dtls = new QueuedDatagramTransport(DTLS_MTU, bytes -> send(connection, bytes), DTLS_QUEUE);
            startHandshake(dtls, handshake, started);
            receive(connection, dtls, handshake, started);
        } catch (IceException e) {
            if (closeReason == null) {
                stats.sessionsFailed.increment();
                closeReason = "ICE failed: " + e.getMessage();
            }
        } catch (RuntimeException e) {
            log.warn("{}: WHIP session failed", key, e);
            closeReason = "internal error: " + e;
        } finally {
            if (dtls != null) {
                dtls.close();
            }
            handshake.thenAccept(DtlsSession::close);
            ice.close();
            stream.end();
            onClosed.accept(this);
            String reason = closeReason == null ? "closed" : closeReason;
            if (receiving) {
                IngestLog.stopped("whip", key, remote, reason, stream.framesReceived(), stream.bytesReceived(),
                        (System.nanoTime() - started) / 1_000_000_000L);
            } else {
                IngestLog.refused("whip", key.toString(), remote, reason); // never got as far as media
            }
        }
    }

    private void startHandshake(QueuedDatagramTransport transport, CompletableFuture<DtlsSession> handshake,
            long startedNanos) {
        Fingerprint remote = negotiation.remoteFingerprint();
        Duration left = config.ice().connectTimeout().minusNanos(System.nanoTime() - startedNanos);
        Duration timeout = left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
        Thread t = new Thread(() -> {
            try {
                handshake.complete(DtlsEndpoint.handshake(transport, role, certificate, remote.algorithm(),
                        remote.value(), timeout));
            } catch (DtlsException | RuntimeException e) {
                handshake.completeExceptionally(e);
            }
        }, "whip-dtls-" + key);
        t.setDaemon(true);
        t.start();
    }

    private void receive(IceConnection connection, QueuedDatagramTransport dtls,
            CompletableFuture<DtlsSession> handshake, long startedNanos) {
        byte[] buf = new byte[MAX_DATAGRAM];
        SrtpSession srtp = null;
        WhipMedia media = null;
        long deadline = startedNanos + config.ice().connectTimeout().toNanos();
        List<byte[]> early = new ArrayList<>();
        DtlsSession dtlsSession = null;
        long lastTick = 0;
        while (closeReason == null) {
            int n;
            try {
                n = connection.receive(buf, TICK_MILLIS);
            } catch (IOException e) {
                closeReason = closeReason != null ? closeReason : "connection closed: " + e.getMessage();
                return;
            }
            long now = System.nanoTime();
            if (n > 0) {
                int first = buf[0] & 0xFF;
                if (first >= 20 && first <= 63) {
                    // RFC 7983: DTLS. The handshake's thread reads it, and after the handshake the session's DTLS
                    // reader (retransmissions of our last flight, the peer's close_notify).
                    dtls.offer(Arrays.copyOf(buf, n));
                } else if (first >= 128 && first <= 191 && srtp != null) {
                    onMedia(buf, n, now, srtp, media);
                } else if (first >= 128 && first <= 191 && early.size() < MAX_EARLY_MEDIA) {
                    // The publisher sends media as soon as its side of DTLS is done, which may be a moment before
                    // ours is: its first keyframe is kept for the keys, not dropped (and asked for again).
                    early.add(Arrays.copyOf(buf, n));
                } else {
                    stats.stray.increment(); // STUN is ICE's; anything else, or media beyond the keys, is not ours
                }
            }
            if (srtp == null) {
                if (handshake.isDone()) {
                    dtlsSession = handshakeResult(handshake);
                    if (dtlsSession == null) {
                        return;
                    }
                    srtp = SrtpSession.of(dtlsSession.keys(), role);
                    media = new WhipMedia(negotiation, stream, config, stats, now);
                    stats.sessionsStarted.increment();
                    for (byte[] datagram : early) {
                        onMedia(datagram, datagram.length, now, srtp, media);
                    }
                    early.clear();
                    receiving = true;
                    srtpProfile = dtlsSession.keys().profile().name();
                    dtlsMillis = (now - startedNanos) / 1_000_000 - iceMillis;
                    mediaShown = media;
                    IngestLog.started("whip", key, remote);
                    // How long each step took after the answer: where a slow start comes from.
                    log.info("{}: WHIP session {} connected from {}: ICE {} ms, DTLS {} ms ({}, DTLS {})", key, id,
                            connection.remote(), iceMillis, dtlsMillis, dtlsSession.keys().profile(), role);
                } else if (now > deadline) {
                    stats.sessionsFailed.increment();
                    closeReason = "DTLS handshake did not complete within " + config.ice().connectTimeout();
                    return;
                }
                continue;
            }
            // Feedback at most every TICK_MILLIS / 2, however many packets arrive in between.
            if (now - lastTick >= TICK_NANOS / 2) {
                lastTick = now;
                for (byte[] rtcp : media.tick(now)) {
                    send(connection, srtp.protectRtcp(rtcp));
                }
            }
            if (dtlsSession.isClosed()) {
                closeReason = "the publisher closed the connection (DTLS close_notify)";
            } else if (connection.consentExpired()) {
                closeReason = "consent expired: nothing from the publisher for " + config.ice().consentTimeout();
            }
        }
    }

    private DtlsSession handshakeResult(CompletableFuture<DtlsSession> handshake) {
        try {
            return handshake.join();
        } catch (CompletionException e) {
            stats.sessionsFailed.increment();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            closeReason = "DTLS handshake failed: " + cause.getMessage();
            return null;
        }
    }

    private void onMedia(byte[] buf, int n, long now, SrtpSession srtp, WhipMedia media) {
        if (Rtcp.isRtcp(buf, 0, n)) {
            int plain = srtp.unprotectRtcp(buf, 0, n);
            if (plain < 0) {
                stats.srtpFailures.increment();
                return;
            }
            if (media.onRtcp(buf, plain, now)) {
                closeReason = "the publisher sent RTCP BYE";
            }
        } else {
            // Simulated loss drops the datagram as the network would: before SRTP, whose replay window would
            // otherwise refuse the retransmission of a packet it had already seen.
            if (config.simulatedLoss() > 0
                    && ThreadLocalRandom.current().nextDouble() < config.simulatedLoss()) {
                stats.simulatedDrops.increment();
                return;
            }
            int plain = srtp.unprotectRtp(buf, 0, n);
            if (plain < 0) {
                stats.srtpFailures.increment();
                return;
            }
            media.onRtp(buf, plain, now);
        }
    }

    private void send(IceConnection connection, byte[] datagram) {
        try {
            connection.send(datagram, 0, datagram.length);
        } catch (IOException e) {
            // The connection is closing; the receive loop sees it and ends the session.
            log.debug("{}: send failed: {}", key, e.toString());
        }
    }
}
