package io.estuary.loadtests.whip;

import io.estuary.protocols.webrtc.dtls.DtlsCertificate;
import io.estuary.protocols.webrtc.dtls.DtlsEndpoint;
import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.DtlsSession;
import io.estuary.protocols.webrtc.dtls.QueuedDatagramTransport;
import io.estuary.protocols.webrtc.ice.IceClient;
import io.estuary.protocols.webrtc.srtp.SrtpSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WHIP publication of the clip, from the POST to the DELETE, on two threads of its own: the publishing thread
 * signals, connects ICE, runs the DTLS handshake as client and then sends media in real time ({@link MediaPacer});
 * the receiving thread demultiplexes what the server sends (RFC 7983: DTLS to the handshake's transport, SRTCP to
 * the feedback handling: NACKs are answered from the video history, PLIs counted).
 */
public final class WhipPublication {
    private static final int DTLS_MTU = 1200;
    private static final int DTLS_QUEUE = 64;
    private static final int MAX_DATAGRAM = 2048;
    private static final int RECEIVE_TICK_MILLIS = 200;

    private final String name;
    private final URI endpoint;
    private final String bearer;
    private final WhipClip clip;
    private final HttpClient http;
    private final Duration startTimeout;
    private final boolean foreignFingerprint;
    /** Offer {@code setup:passive}: we run the DTLS server and the server under test its client (RFC 5763). */
    private final boolean dtlsServer;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong nackedPackets = new AtomicLong();
    private final AtomicLong retransmitted = new AtomicLong();
    private final AtomicLong keyframeRequests = new AtomicLong();
    private final AtomicLong maxLateNanos = new AtomicLong();
    private final AtomicLong feedbackErrors = new AtomicLong();
    private volatile long postedNanos;
    private volatile long iceConnectedNanos;
    private volatile long startedNanos;
    private volatile URI location;
    private volatile String closeReason;
    private volatile boolean stopping;
    private volatile IceClient ice;
    private volatile Thread publisher;

    WhipPublication(String name, URI endpoint, String bearer, WhipClip clip, HttpClient http, Duration startTimeout,
            boolean foreignFingerprint, boolean dtlsServer) {
        this.dtlsServer = dtlsServer;
        this.name = name;
        this.endpoint = endpoint;
        this.bearer = bearer;
        this.clip = clip;
        this.http = http;
        this.startTimeout = startTimeout;
        this.foreignFingerprint = foreignFingerprint;
    }

    void start() {
        Thread t = new Thread(this::run, "whip-load-" + name);
        t.setDaemon(true);
        publisher = t;
        t.start();
    }

    public String name() {
        return name;
    }

    /** Completes when media starts flowing (ICE and DTLS done), or fails with the reason. */
    public CompletableFuture<Void> started() {
        return started;
    }

    /** {@link System#nanoTime()} when the offer was POSTed; 0 before. */
    public long postedNanos() {
        return postedNanos;
    }

    /** {@link System#nanoTime()} when ICE selected a pair; 0 before. */
    public long iceConnectedNanos() {
        return iceConnectedNanos;
    }

    /** {@link System#nanoTime()} when ICE and DTLS were done and media started; 0 before. */
    public long startedNanos() {
        return startedNanos;
    }

    /** The session's URL from the answer's Location header; null before the answer. */
    public URI location() {
        return location;
    }

    public boolean isActive() {
        return closeReason == null && started.isDone() && !started.isCompletedExceptionally();
    }

    /** Why the publication ended, or null while it runs. */
    public String closeReason() {
        return closeReason;
    }

    public long packetsSent() {
        return packetsSent.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    /** Sequence numbers the server NACKed (one asked for twice counts twice). */
    public long nackedPackets() {
        return nackedPackets.get();
    }

    /** NACKed packets sent again from the history. */
    public long retransmitted() {
        return retransmitted.get();
    }

    /** PLIs and FIRs received: the clip cannot make a keyframe on demand, it has one every 2 s. */
    public long keyframeRequests() {
        return keyframeRequests.get();
    }

    /** How late the publisher sent a packet at worst, in milliseconds: above a few ms this JVM is overloaded. */
    public long maxLateMs() {
        return maxLateNanos.get() / 1_000_000;
    }

    /** RTCP from the server that failed SRTCP or did not parse. */
    public long feedbackErrors() {
        return feedbackErrors.get();
    }

    /**
     * Stops sending, DELETEs the session (RFC 9725 section 4.3) and frees the transport; bounded to a few seconds.
     *
     * @return the DELETE's HTTP status, or -1 when there was no session to delete or the request failed
     */
    public int stop() {
        stopping = true;
        // DELETE first, as a browser's WHIP client does before closing its peer connection: the server ends the
        // session on the request, not on a transport that went quiet.
        int status = delete();
        end("stopped");
        Thread t = publisher;
        if (t != null) {
            t.interrupt();
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return status;
    }

    private int delete() {
        URI session = location;
        if (session == null) {
            return -1;
        }
        try {
            HttpRequest.Builder delete = HttpRequest.newBuilder(session).timeout(Duration.ofSeconds(5)).DELETE();
            if (bearer != null) {
                delete.header("Authorization", "Bearer " + bearer);
            }
            return http.send(delete.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void run() {
        DtlsSession dtls = null;
        try (IceClient client = new IceClient()) {
            ice = client;
            DtlsCertificate certificate = DtlsCertificate.generate();
            long videoSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
            long audioSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
            // A test of failed handshakes offers the fingerprint of a certificate we do not hold.
            String fingerprint = foreignFingerprint ? DtlsCertificate.generate().fingerprintSha256()
                    : certificate.fingerprintSha256();
            String cname = "load-" + name;
            WhipSdp.Local local = new WhipSdp.Local(client.ufrag(), client.pwd(), fingerprint, client.candidates(),
                    videoSsrc, audioSsrc, cname, clip.sps(), dtlsServer ? "passive" : "actpass");
            WhipSdp.Answer answer = post(WhipSdp.offer(local, ThreadLocalRandom.current().nextLong() >>> 1));
            long deadline = postedNanos + startTimeout.toNanos();
            client.connect(answer.iceUfrag(), answer.icePwd(), answer.candidates(), remaining(deadline));
            iceConnectedNanos = System.nanoTime();
            QueuedDatagramTransport transport = new QueuedDatagramTransport(DTLS_MTU, this::sendQuietly,
                    DTLS_QUEUE);
            Receiver receiver = new Receiver(client, transport);
            receiver.start();
            DtlsRole role = dtlsServer ? DtlsRole.SERVER : DtlsRole.CLIENT;
            dtls = DtlsEndpoint.handshake(transport, role, certificate, answer.fingerprintAlgorithm(),
                    answer.fingerprint(), remaining(deadline));
            SrtpSession srtp = SrtpSession.of(dtls.keys(), role);
            RtpStream video = new RtpStream(WhipSdp.H264_PT, videoSsrc, WhipClip.VIDEO_CLOCK, 512, srtp);
            RtpStream audio = new RtpStream(WhipSdp.OPUS_PT, audioSsrc, WhipClip.OPUS_CLOCK, 0, srtp);
            receiver.media(srtp, video);
            startedNanos = System.nanoTime();
            started.complete(null);
            new MediaPacer(clip, video, audio, srtp, cname, new MediaPacer.Output() {
                @Override
                public void media(byte[] packet) {
                    send(packet);
                    packetsSent.incrementAndGet();
                    bytesSent.addAndGet(packet.length);
                }

                @Override
                public void control(byte[] packet) {
                    send(packet);
                }

                @Override
                public void late(long nanos) {
                    maxLateNanos.accumulateAndGet(nanos, Math::max);
                }
            }).run(() -> closeReason == null);
        } catch (Exception e) {
            String reason = e instanceof InterruptedException || stopping ? "stopped" : e.getMessage();
            started.completeExceptionally(e);
            end(reason == null ? e.toString() : reason);
        } finally {
            if (dtls != null) {
                dtls.close();
            }
        }
    }

    /** POSTs the offer; returns the parsed answer, remembering the Location. */
    private WhipSdp.Answer post(String offer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(startTimeout)
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        postedNanos = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + endpoint + " answered " + response.statusCode() + ": "
                    + response.body().lines().findFirst().orElse(""));
        }
        location = endpoint.resolve(response.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("201 without a Location")));
        return WhipSdp.answer(response.body());
    }

    private static Duration remaining(long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new IOException("the start timeout passed");
        }
        return Duration.ofNanos(left);
    }

    /** Sends one datagram; a failure means the transport is closing, which ends the publication. */
    private void send(byte[] datagram) {
        try {
            ice.send(datagram);
        } catch (IOException e) {
            end("send failed: " + e.getMessage());
        }
    }

    private void sendQuietly(byte[] datagram) {
        try {
            ice.send(datagram);
        } catch (IOException e) {
            // DTLS retransmits; a closed transport ends the handshake by itself.
        }
    }

    private void end(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    /** The receiving thread: RFC 7983 demultiplexing of what the server sends. */
    private final class Receiver extends Thread {
        private final IceClient client;
        private final QueuedDatagramTransport dtls;
        private volatile SrtpSession srtp;
        private volatile RtpStream video;

        Receiver(IceClient client, QueuedDatagramTransport dtls) {
            super("whip-load-rx-" + name);
            setDaemon(true);
            this.client = client;
            this.dtls = dtls;
        }

        void media(SrtpSession srtp, RtpStream video) {
            this.video = video;
            this.srtp = srtp;
        }

        @Override
        public void run() {
            byte[] buf = new byte[MAX_DATAGRAM];
            while (closeReason == null) {
                int n;
                try {
                    n = client.receive(buf, RECEIVE_TICK_MILLIS);
                } catch (IOException e) {
                    end("receive failed: " + e.getMessage());
                    break;
                }
                if (n <= 0) {
                    continue;
                }
                int first = buf[0] & 0xFF;
                if (first >= 20 && first <= 63) {
                    dtls.offer(Arrays.copyOf(buf, n));
                } else if (first >= 128 && first <= 191 && srtp != null) {
                    onRtcp(buf, n);
                }
            }
            dtls.close();
        }

        /** The server sends RTCP only (it is receive-only): NACK, PLI and receiver reports. */
        private void onRtcp(byte[] buf, int n) {
            int plain = srtp.unprotectRtcp(buf, 0, n);
            if (plain < 0) {
                feedbackErrors.incrementAndGet();
                return;
            }
            try {
                for (PublisherRtcp.Request r : PublisherRtcp.requests(buf, plain)) {
                    if (r instanceof PublisherRtcp.Nack nack && nack.mediaSsrc() == video.ssrc()) {
                        for (int seq : nack.sequenceNumbers()) {
                            nackedPackets.incrementAndGet();
                            byte[] again = video.retransmission(seq);
                            if (again != null) {
                                send(again);
                                retransmitted.incrementAndGet();
                            }
                        }
                    } else if (r instanceof PublisherRtcp.KeyframeRequest) {
                        keyframeRequests.incrementAndGet();
                    }
                }
            } catch (IllegalArgumentException e) {
                feedbackErrors.incrementAndGet();
            }
        }
    }
}
