package io.estuary.protocols.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.protocols.auth.StreamKeyAuthorizer;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WHIP resource's answers to good and bad requests, before any media: status, reason, headers. */
class WhipServiceTest {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);
    /** A browser-shaped offer: H.264 + Opus, BUNDLE, rtcp-mux, actpass. */
    static final String OFFER = String.join("\r\n",
            "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=sendonly", "a=rtcp-mux",
            "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=setup:actpass",
            "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:1", "a=sendonly", "a=rtcp-mux",
            "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=setup:actpass",
            "a=rtpmap:96 H264/90000", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli",
            "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "") ;

    private StreamRegistry registry;
    private WhipService whip;

    @BeforeEach
    void start() throws Exception {
        registry = new StreamRegistry();
        whip = new WhipService(WhipConfig.from(ConfigFactory.parseMap(Map.of("estuary.whip.udp-port", 0,
                "estuary.whip.host-addresses", java.util.List.of("127.0.0.1")))), registry,
                new StreamKeyAuthorizer(Map.of(new StreamKey("live", "cam"), "k3y")));
    }

    @AfterEach
    void stop() {
        whip.close();
    }

    @Test
    void anOfferIsAnsweredWithASessionLocationAndETag() {
        WhipResponse r = whip.offer("live", "cam", "k3y", "application/sdp", OFFER, REMOTE);
        assertEquals(201, r.status(), r.body());
        assertEquals("application/sdp", r.contentType());
        assertTrue(r.headers().get("Location").matches("/live/cam/whip/[0-9a-f]{32}"), r.headers().toString());
        assertTrue(r.headers().get("ETag").matches("\"[0-9a-f]{32}\""));
        assertTrue(r.body().contains("a=setup:passive"), r.body());
        assertTrue(r.body().contains("a=candidate:") && r.body().contains("127.0.0.1"), r.body());
        assertTrue(registry.get(new StreamKey("live", "cam")).isPresent(), "the stream is claimed");
        assertEquals(1, whip.activeSessions());

        String id = r.headers().get("Location").substring("/live/cam/whip/".length());
        assertEquals(412, whip.patch("live", "cam", id, WhipService.TRICKLE, "\"other\"", "").status());
        assertEquals(428, whip.patch("live", "cam", id, WhipService.TRICKLE, null, "").status());
        assertEquals(415, whip.patch("live", "cam", id, "text/plain", "*", "").status());
        assertEquals(501, whip.patch("live", "cam", id, WhipService.TRICKLE, "*",
                "a=ice-ufrag:new1\r\na=ice-pwd:newnewnewnewnewnewnewnew\r\n").status());
        assertEquals(204, whip.patch("live", "cam", id, WhipService.TRICKLE, r.headers().get("ETag"),
                "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
                        + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n").status());
        assertEquals(404, whip.delete("live", "other", id).status(), "a session answers under its own stream only");
        assertEquals(200, whip.delete("live", "cam", id).status());
        assertEquals(404, whip.patch("live", "cam", "f".repeat(32), WhipService.TRICKLE, "*", "").status());
    }

    @Test
    void badRequestsGetAStatusAndAReason() {
        WhipResponse missing = whip.offer("live", "cam", null, "application/sdp", OFFER, REMOTE);
        assertEquals(401, missing.status());
        assertEquals("Bearer realm=\"estuary\"", missing.headers().get("WWW-Authenticate"));
        assertEquals(401, whip.offer("live", "cam", "wrong", "application/sdp", OFFER, REMOTE).status());
        assertEquals(400, whip.offer("live", "bad name", "k3y", "application/sdp", OFFER, REMOTE).status());
        assertEquals(415, whip.offer("live", "cam", "k3y", "text/plain", OFFER, REMOTE).status());

        WhipResponse malformed = whip.offer("live", "cam", "k3y", "application/sdp", "hello", REMOTE);
        assertEquals(400, malformed.status());
        assertTrue(malformed.body().length() > 1, "a reason is given");

        String vp8Only = OFFER.replace("a=rtpmap:96 H264/90000", "a=rtpmap:96 VP8/90000")
                .replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 PCMU/8000")
                .replace("a=fmtp:111 minptime=10;useinbandfec=1\r\n", "")
                .replace("a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n", "");
        WhipResponse unsupported = whip.offer("live", "cam", "k3y", "application/sdp", vp8Only, REMOTE);
        assertEquals(406, unsupported.status(), unsupported.body());
        assertTrue(unsupported.body().contains("VP8"), unsupported.body());
        assertEquals(0, whip.activeSessions(), "nothing was started by a refused offer");
        assertTrue(registry.get(new StreamKey("live", "cam")).isEmpty(), "nor the stream claimed");
    }

    @Test
    void aStreamPublishedBySomeoneElseIsAConflict() throws Exception {
        registry.publish(new StreamKey("live", "cam"), new PublisherInfo("rtmp", "10.0.0.9", 1935, "other"), r -> { });
        WhipResponse r = whip.offer("live", "cam", "k3y", "application/sdp", OFFER, REMOTE);
        assertEquals(409, r.status(), r.body());
        assertEquals(0, whip.activeSessions());
    }
}
