package io.estuary.protocols.webrtc.sdp;

import static io.estuary.protocols.webrtc.sdp.SdpOfferParseTest.VIDEO_OFFER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which sections and codecs are received, which are rejected, and which offers are refused (400 or 406). */
class NegotiationTest {
    private static final String TRANSPORT = """
            a=rtcp-mux
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuv
            a=setup:actpass
            """;

    @Test
    void passiveOfferMakesUsActive() throws Exception {
        Negotiation negotiation = negotiate(VIDEO_OFFER.replace("a=setup:actpass", "a=setup:passive"));
        assertEquals(Setup.PASSIVE, negotiation.remoteSetup());
        assertEquals(Setup.ACTIVE, negotiation.localSetup());
        assertTrue(SdpAnswer.write(negotiation, SdpGoldenTest.PARAMS).contains("\r\na=setup:active\r\n"));
    }

    @Test
    void activeOfferMakesUsPassive() throws Exception {
        Negotiation negotiation = negotiate(VIDEO_OFFER.replace("a=setup:actpass", "a=setup:active"));
        assertEquals(Setup.PASSIVE, negotiation.localSetup());
    }

    @Test
    void firstH264WithPacketizationMode1InOfferOrder() throws Exception {
        String offer = VIDEO_OFFER.replace("SAVPF 96", "SAVPF 100 98 96 97")
                + "a=rtpmap:100 VP8/90000\n"
                + "a=rtpmap:98 h264/90000\na=fmtp:98 packetization-mode=0;profile-level-id=42e01f\n"
                + "a=rtpmap:97 H264/90000\na=fmtp:97 packetization-mode=1;profile-level-id=640c1f\n";
        assertEquals(96, negotiate(offer).video().orElseThrow().codec().payloadType());
        // H.264 without fmtp is packetization-mode 0 (RFC 6184 §8.1), so not ours.
        String noMode = offer.replace("a=fmtp:96 packetization-mode=1;profile-level-id=42e01f\n", "");
        assertEquals(97, negotiate(noMode).video().orElseThrow().codec().payloadType());
    }

    @Test
    void opusMustBeStereo48k() throws Exception {
        String offer = audioOffer("a", "111 112 113",
                "a=rtpmap:111 opus/48000\na=rtpmap:112 OPUS/48000/2\na=rtpmap:113 opus/48000/2\n");
        assertEquals(112, negotiate(offer).audio().orElseThrow().codec().payloadType());
    }

    @Test
    void nothingReceivableIs406ListingTheOffer() throws Exception {
        String offer = VIDEO_OFFER.replace("SAVPF 96", "SAVPF 100 101 102 103 45")
                .replace("a=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\n",
                        "a=rtpmap:100 VP8/90000\na=rtpmap:101 rtx/90000\na=fmtp:101 apt=100\n"
                                + "a=rtpmap:102 VP9/90000\na=rtpmap:103 ulpfec/90000\na=rtpmap:45 AV1/90000\n")
                .replace("a=group:BUNDLE v", "a=group:BUNDLE v a")
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=mid:a\na=sendonly\n" + TRANSPORT;
        SdpException e = assertThrows(SdpException.class, () -> negotiate(offer));
        assertTrue(e.notAcceptable());
        assertEquals("no supported codec: video offered VP8, VP9, AV1; audio offered PCMU", e.getMessage());
    }

    @Test
    void wrongDirectionOrProtocolIs406WithTheReason() throws Exception {
        SdpException recvonly = assertThrows(SdpException.class,
                () -> negotiate(VIDEO_OFFER.replace("a=sendonly", "a=recvonly")));
        assertTrue(recvonly.notAcceptable());
        assertEquals("nothing we can receive: video (mid v) is recvonly: the publisher sends nothing in it",
                recvonly.getMessage());
        SdpException plainRtp = assertThrows(SdpException.class,
                () -> negotiate(VIDEO_OFFER.replace("UDP/TLS/RTP/SAVPF", "RTP/AVP")));
        assertEquals("nothing we can receive: video (mid v) uses RTP/AVP, not DTLS-SRTP (UDP/TLS/RTP/SAVPF)",
                plainRtp.getMessage());
    }

    @Test
    void missingTransportAttributesAre400() {
        assertBadRequest(VIDEO_OFFER.replace("a=ice-ufrag:abcd\n", ""), "video m-section (mid v) has no a=ice-ufrag");
        assertBadRequest(VIDEO_OFFER.replace("a=ice-pwd:abcdefghijklmnopqrstuv\n", ""), "has no a=ice-pwd");
        assertBadRequest(VIDEO_OFFER.replaceFirst("a=fingerprint:[^\n]*\n", ""), "has no a=fingerprint");
        assertBadRequest(VIDEO_OFFER.replace("a=setup:actpass\n", ""), "has no a=setup");
        assertBadRequest(VIDEO_OFFER.replace("a=rtcp-mux\n", ""), "has no a=rtcp-mux, which WHIP requires");
        assertBadRequest(VIDEO_OFFER.replace("a=mid:v\n", "").replace("a=group:BUNDLE v\n", ""), "has no a=mid");
    }

    @Test
    void extraSectionsAreRejectedInTheAnswer() throws Exception {
        String secondVideo = VIDEO_OFFER.substring(VIDEO_OFFER.indexOf("m=video")).replace("a=mid:v", "a=mid:v2");
        String offer = VIDEO_OFFER.replace("a=group:BUNDLE v", "a=group:BUNDLE v a v2 d")
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\na=mid:a\na=sendrecv\na=rtpmap:111 opus/48000/2\n" + TRANSPORT
                + secondVideo
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\nc=IN IP4 0.0.0.0\na=mid:d\na=sctp-port:5000\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\na=mid:x\na=sendonly\na=rtpmap:111 opus/48000/2\n" + TRANSPORT;
        Negotiation negotiation = negotiate(offer);
        assertEquals("v", negotiation.video().orElseThrow().section().mid());
        assertEquals("a", negotiation.audio().orElseThrow().section().mid());

        AnswerParams params = new AnswerParams("eStu", "k9Pw2dQx7LmZr4Tn8Vb1Hc0y", SdpGoldenTest.OUR_FINGERPRINT,
                List.of("candidate:1 1 udp 2130706431 127.0.0.1 8189 typ host"), 42);
        String fingerprint = "a=fingerprint:sha-256 A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:01:12:23:34:45:56:"
                + "67:78:89:9A:AB:BC:CD:DE:EF:F0\n";
        String expected = "v=0\no=- 42 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=group:BUNDLE v a\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\nc=IN IP4 0.0.0.0\na=mid:v\na=recvonly\na=rtcp-mux\n"
                + "a=ice-ufrag:eStu\na=ice-pwd:k9Pw2dQx7LmZr4Tn8Vb1Hc0y\n" + fingerprint + "a=setup:passive\n"
                + "a=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 8189 typ host\na=end-of-candidates\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\nc=IN IP4 0.0.0.0\na=mid:a\na=recvonly\na=rtcp-mux\n"
                + "a=ice-ufrag:eStu\na=ice-pwd:k9Pw2dQx7LmZr4Tn8Vb1Hc0y\n" + fingerprint + "a=setup:passive\n"
                + "a=rtpmap:111 opus/48000/2\na=fmtp:111 minptime=10;useinbandfec=1\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\nc=IN IP4 0.0.0.0\na=mid:v2\na=inactive\n"
                + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\nc=IN IP4 0.0.0.0\na=mid:d\na=inactive\n"
                + "m=audio 0 UDP/TLS/RTP/SAVPF 111\nc=IN IP4 0.0.0.0\na=mid:x\na=inactive\n";
        assertEquals(expected.replace("\n", "\r\n"), SdpAnswer.write(negotiation, params));
    }

    @Test
    void sectionsOutsideTheBundleGroupAreRejected() throws Exception {
        String offer = audioOffer("a", "111", "a=rtpmap:111 opus/48000/2\n");
        Negotiation negotiation = negotiate(offer.replace("a=group:BUNDLE v a", "a=group:BUNDLE v"));
        assertTrue(negotiation.audio().isEmpty());
        assertTrue(negotiation.video().isPresent());
    }

    @Test
    void withoutBundleGroupOnlyOneSectionIsAccepted() throws Exception {
        String offer = audioOffer("a", "111", "a=rtpmap:111 opus/48000/2\n").replace("a=group:BUNDLE v a\n", "");
        Negotiation negotiation = negotiate(offer);
        assertTrue(negotiation.video().isPresent());
        assertTrue(negotiation.audio().isEmpty());
        String answer = SdpAnswer.write(negotiation, SdpGoldenTest.PARAMS);
        assertFalse(answer.contains("a=group"), "an answer must not add a group the offer lacks (RFC 8843 §7.3)");
    }

    @Test
    void bundleOnlySectionWithPortZeroIsReceivedOnTheBundleTransport() throws Exception {
        String offer = VIDEO_OFFER
                + "m=audio 0 UDP/TLS/RTP/SAVPF 111\na=bundle-only\na=mid:a\na=sendonly\na=rtcp-mux\n"
                + "a=rtpmap:111 opus/48000/2\n";
        Negotiation negotiation = negotiate(offer.replace("a=group:BUNDLE v", "a=group:BUNDLE v a"));
        assertEquals("a", negotiation.audio().orElseThrow().section().mid());
        assertEquals("abcd", negotiation.remoteIceUfrag());
        // Without bundle-only, port 0 means disabled (RFC 3264 §8.2).
        Negotiation disabled = negotiate(offer.replace("a=bundle-only\n", "")
                .replace("a=group:BUNDLE v", "a=group:BUNDLE v a"));
        assertTrue(disabled.audio().isEmpty());
    }

    @Test
    void candidatesOfAcceptedSectionsAreDeduplicated() throws Exception {
        String host = "a=candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\n";
        String relay = "a=candidate:3 1 udp 41885439 198.51.100.7 3478 typ relay raddr 0.0.0.0 rport 0\n";
        String offer = audioOffer("a", "111", "a=rtpmap:111 opus/48000/2\n" + host + relay)
                .replace("a=mid:v\n", "a=mid:v\n" + host);
        assertEquals(List.of("candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
                "candidate:3 1 udp 41885439 198.51.100.7 3478 typ relay raddr 0.0.0.0 rport 0"),
                negotiate(offer).remoteCandidates());
    }

    /** {@link SdpOfferParseTest#VIDEO_OFFER} plus a sendonly audio section with mid {@code mid}, both bundled. */
    private static String audioOffer(String mid, String formats, String codecLines) {
        return VIDEO_OFFER.replace("a=group:BUNDLE v", "a=group:BUNDLE v " + mid)
                + "m=audio 9 UDP/TLS/RTP/SAVPF " + formats + "\na=mid:" + mid + "\na=sendonly\n" + TRANSPORT
                + codecLines;
    }

    private static Negotiation negotiate(String offer) throws SdpException {
        return Negotiation.of(SdpOffer.parse(offer));
    }

    private static void assertBadRequest(String offer, String reasonPart) {
        SdpException e = assertThrows(SdpException.class, () -> negotiate(offer));
        assertFalse(e.notAcceptable(), "a broken accepted section is a 400: " + e.getMessage());
        assertTrue(e.getMessage().contains(reasonPart), "'" + e.getMessage() + "' should contain '" + reasonPart + "'");
    }
}
