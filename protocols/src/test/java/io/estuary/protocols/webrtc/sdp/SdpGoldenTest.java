package io.estuary.protocols.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whole offers from the two publishers WHIP ingest is built for, parsed, negotiated and answered; the answers are
 * compared with hand-written expected text. The OBS Studio 30 offer has the shape libdatachannel writes (session-level
 * fingerprint, per-media ICE credentials after the codecs, LF line ends in this file); the Chromium offer is a
 * sendonly audio+video offer with the browser's full codec list, header extensions and CRLF line ends.
 */
class SdpGoldenTest {
    static final Fingerprint OUR_FINGERPRINT = new Fingerprint("sha-256",
            "A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:01:12:23:34:45:56:67:78:89:9A:AB:BC:CD:DE:EF:F0");
    static final AnswerParams PARAMS = new AnswerParams("eStu", "k9Pw2dQx7LmZr4Tn8Vb1Hc0y", OUR_FINGERPRINT,
            List.of("candidate:1 1 udp 2130706431 127.0.0.1 8189 typ host",
                    "candidate:2 1 udp 2130706175 10.0.0.5 8189 typ host"),
            7301243855621L);

    @Test
    void obsOfferIsParsedWithSessionLevelFingerprint() throws Exception {
        SdpOffer offer = SdpOffer.parse(resource("obs-offer.sdp"));

        assertEquals(List.of("0", "1"), offer.bundleMids());
        assertEquals(2, offer.media().size());
        Fingerprint theirs = new Fingerprint("sha-256",
                "3C:4A:9E:17:B0:52:6D:E8:21:F3:8C:05:7A:94:DB:66:10:2F:C8:E3:59:A1:0B:74:8D:36:EF:C2:91:5B:07:AE");
        MediaSection audio = offer.media().get(0);
        assertEquals(new MediaSection("audio", 51532, "UDP/TLS/RTP/SAVPF", "0", "sendonly", "Hq3x",
                "nI3Tq4f8bX2mWc7rJ0pYzK", theirs, Setup.ACTPASS, true,
                List.of(new OfferedCodec(111, "opus", 48000, 2, Map.of("minptime", "10", "maxaveragebitrate", "96000",
                        "stereo", "1", "sprop-stereo", "1", "useinbandfec", "1"), List.of())),
                List.of(1842651107L),
                List.of("candidate:1 1 UDP 2122317823 192.168.1.20 51532 typ host",
                        "candidate:2 1 UDP 1686109951 203.0.113.45 51532 typ srflx raddr 0.0.0.0 rport 0")), audio);
        MediaSection video = offer.media().get(1);
        assertEquals("1", video.mid());
        assertEquals(theirs, video.fingerprint());
        assertEquals(List.of(2315017994L), video.ssrcs());
        assertEquals(List.of(), video.candidates());
        OfferedCodec h264 = video.codecs().get(0);
        assertEquals(List.of("nack", "nack pli", "goog-remb"), h264.rtcpFeedback());
        assertEquals("profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1", h264.fmtpLine());
    }

    @Test
    void obsOfferIsAnswered() throws Exception {
        Negotiation negotiation = Negotiation.of(SdpOffer.parse(resource("obs-offer.sdp")));

        assertEquals(96, negotiation.video().orElseThrow().codec().payloadType());
        assertEquals(111, negotiation.audio().orElseThrow().codec().payloadType());
        assertEquals("Hq3x", negotiation.remoteIceUfrag());
        assertEquals("nI3Tq4f8bX2mWc7rJ0pYzK", negotiation.remoteIcePwd());
        assertEquals(Setup.ACTPASS, negotiation.remoteSetup());
        assertEquals(Setup.PASSIVE, negotiation.localSetup());
        assertEquals(2, negotiation.remoteCandidates().size());
        assertAnswer("obs-answer.sdp", SdpAnswer.write(negotiation, PARAMS));
    }

    @Test
    void chromiumOfferIsParsed() throws Exception {
        SdpOffer offer = SdpOffer.parse(resource("chromium-offer.sdp"));

        MediaSection audio = offer.media().get(0);
        assertEquals(List.of("111", "63", "9", "0", "8", "13", "110", "126"), audio.formats());
        assertEquals(List.of("opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event"),
                audio.codecs().stream().map(OfferedCodec::name).toList());
        assertEquals(Map.of("111/111", ""), audio.codecs().get(1).fmtp());
        assertFalse(audio.rtcpReducedSize());
        MediaSection video = offer.media().get(1);
        assertEquals(25, video.codecs().size());
        assertEquals(9, video.port());
        assertEquals(List.of(1297435761L, 2836590417L), video.ssrcs());
        assertEquals(new Fingerprint("sha-256",
                "5E:0B:C7:14:A9:32:F8:6D:E1:40:9C:27:B5:73:0A:D6:48:EF:1C:92:63:BA:05:7D:D4:81:3F:C6:2A:59:E0:17"),
                video.fingerprint());
        OfferedCodec av1 = video.codec(45);
        assertEquals("AV1", av1.name());
        assertEquals("5", av1.fmtpValue("level-idx"));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), av1.rtcpFeedback());
        assertEquals(List.of(), video.codec(97).rtcpFeedback());
    }

    @Test
    void chromiumOfferIsAnswered() throws Exception {
        Negotiation negotiation = Negotiation.of(SdpOffer.parse(resource("chromium-offer.sdp")));

        assertEquals(102, negotiation.video().orElseThrow().codec().payloadType());
        assertEquals("yM+7", negotiation.remoteIceUfrag());
        assertEquals("QW3l8N0tKv/0aIbr2gQ9Hx5s", negotiation.remoteIcePwd());
        assertEquals(List.of(
                "candidate:3340478154 1 udp 2122260223 192.168.1.34 58812 typ host generation 0 network-id 1 "
                        + "network-cost 10",
                "candidate:4233069003 1 tcp 1518280447 192.168.1.34 9 typ host tcptype active generation 0 "
                        + "network-id 1 network-cost 10",
                "candidate:842163049 1 udp 1686052607 203.0.113.9 58812 typ srflx raddr 192.168.1.34 rport 58812 "
                        + "generation 0 network-id 1 network-cost 10"),
                negotiation.remoteCandidates());
        assertAnswer("chromium-answer.sdp", SdpAnswer.write(negotiation, PARAMS));
    }

    /** The expected files are stored with LF; the answer must use CRLF and nothing else. */
    static void assertAnswer(String expectedResource, String answer) throws IOException {
        assertEquals(resource(expectedResource).replace("\n", "\r\n"), answer);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SdpGoldenTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
