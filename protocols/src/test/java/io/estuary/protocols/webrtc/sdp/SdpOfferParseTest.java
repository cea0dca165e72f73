package io.estuary.protocols.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Malformed and oversized offers are refused with a 400 naming the line; a few lenient corners are accepted. */
class SdpOfferParseTest {
    /** A minimal valid offer: one H.264 video section. Tests break one line of it at a time. */
    static final String VIDEO_OFFER = """
            v=0
            o=- 1 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE v
            a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF
            m=video 9 UDP/TLS/RTP/SAVPF 96
            c=IN IP4 0.0.0.0
            a=mid:v
            a=sendonly
            a=rtcp-mux
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuv
            a=setup:actpass
            a=rtpmap:96 H264/90000
            a=fmtp:96 packetization-mode=1;profile-level-id=42e01f
            """;

    @Test
    void minimalOfferParses() throws Exception {
        SdpOffer offer = SdpOffer.parse(VIDEO_OFFER);
        MediaSection video = offer.media().get(0);
        assertEquals(List.of("v"), offer.bundleMids());
        assertEquals(new OfferedCodec(96, "H264", 90000, 1,
                Map.of("packetization-mode", "1", "profile-level-id", "42e01f"), List.of()), video.codecs().get(0));
        assertEquals("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
                video.fingerprint().value());
    }

    @Test
    void notSdp() {
        assertBadRequest("<html>", "not SDP");
        assertBadRequest("", "empty body");
        assertBadRequest("o=- 1 2 IN IP4 127.0.0.1\nv=0\n", "not SDP");
        assertBadRequest("v=1\n", "not SDP");
    }

    @Test
    void malformedLines() {
        assertBadRequest(VIDEO_OFFER.replace("c=IN IP4 0.0.0.0", "just text"), "line 8 'just text': expected");
        assertBadRequest(VIDEO_OFFER.replace("s=-", "s=a\u0000b"), "line 3 's=a");
        // A bare CR inside a line would become a forged line in an echoed fmtp.
        assertBadRequest(VIDEO_OFFER.replace("profile-level-id=42e01f", "x=1\ra=evil"), "control character 0xd");
    }

    @Test
    void malformedMLine() {
        assertBadRequest(VIDEO_OFFER.replace("m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 9 UDP/TLS/RTP/SAVPF"),
                "line 7 'm=video 9 UDP/TLS/RTP/SAVPF': m-line needs");
        assertBadRequest(VIDEO_OFFER.replace("m=video 9 ", "m=video 70000 "), "port must be a number");
        assertBadRequest(VIDEO_OFFER.replace("m=video 9 ", "m=video -9 "), "port must be a number");
        assertBadRequest(VIDEO_OFFER.replace("SAVPF 96", "SAVPF 128"), "payload type '128' is not 0 to 127");
        assertBadRequest(VIDEO_OFFER.replace("SAVPF 96", "SAVPF 96 96"), "format 96 twice");
        assertBadRequest(VIDEO_OFFER.replace("SAVPF 96", "SAVPF  96"), "payload type '' is not 0 to 127");
    }

    @Test
    void rtpmapOrFmtpForUnknownPayloadType() {
        assertBadRequest(VIDEO_OFFER + "a=rtpmap:97 rtx/90000\n", "payload type 97 is not on this section's m-line");
        assertBadRequest(VIDEO_OFFER + "a=fmtp:97 apt=96\n", "payload type 97 is not on this section's m-line");
        assertBadRequest(VIDEO_OFFER + "a=rtcp-fb:97 nack\n", "payload type 97 is not on this section's m-line");
        assertBadRequest(VIDEO_OFFER + "a=rtpmap:96 VP8/90000\n", "a second a=rtpmap for payload type 96");
    }

    @Test
    void badNumbers() {
        assertBadRequest(VIDEO_OFFER.replace("H264/90000", "H264/ninety"), "clock rate must be a positive number");
        assertBadRequest(VIDEO_OFFER.replace("H264/90000", "H264/0"), "clock rate must be a positive number");
        assertBadRequest(VIDEO_OFFER.replace("H264/90000", "H264/90000/0"), "channels must be 1 to 255");
        assertBadRequest(VIDEO_OFFER.replace("H264/90000", "H264/99999999999999999999"), "clock rate");
        assertBadRequest(VIDEO_OFFER + "a=ssrc:4294967296 cname:x\n", "SSRC must be a number");
        assertBadRequest(VIDEO_OFFER + "a=ssrc:+5 cname:x\n", "SSRC must be a number");
    }

    @Test
    void overLimits() {
        assertBadRequest("v=0\n" + "a=x\n".repeat(SdpOffer.MAX_LINES), "more than 4096 lines");
        assertBadRequest("v=0\ns=" + "x".repeat(SdpOffer.MAX_LENGTH) + "\n", "over the limit of 65536");
        String section = "m=audio 9 UDP/TLS/RTP/SAVPF 0\n";
        assertBadRequest("v=0\n" + section.repeat(SdpOffer.MAX_MEDIA_SECTIONS + 1), "more than 16 m-sections");
        StringBuilder formats = new StringBuilder("v=0\nm=video 9 UDP/TLS/RTP/SAVPF");
        for (int pt = 0; pt <= SdpOffer.MAX_FORMATS_PER_SECTION; pt++) {
            formats.append(' ').append(pt);
        }
        assertBadRequest(formats + "\n", "more than 64 formats");
    }

    @Test
    void limitsThemselvesAreAccepted() throws Exception {
        String section = "m=audio 9 UDP/TLS/RTP/SAVPF 0\n";
        assertEquals(16, SdpOffer.parse("v=0\n" + section.repeat(SdpOffer.MAX_MEDIA_SECTIONS)).media().size());
        String lines = "v=0\n" + "a=x\n".repeat(SdpOffer.MAX_LINES - 1);
        assertEquals(0, SdpOffer.parse(lines).media().size());
    }

    @Test
    void fingerprintMustBeSha2() {
        String sha1 = "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33";
        assertBadRequest(VIDEO_OFFER.replaceFirst("a=fingerprint:[^\n]*", sha1),
                "a=fingerprint at session level: hash function 'sha-1' not supported");
        assertBadRequest(VIDEO_OFFER.replace(":FF\n", ":F\n"), "sha-256 wants 32 hex pairs");
        assertBadRequest(VIDEO_OFFER.replace(":FF\n", ":FF:00\n"), "sha-256 wants 32 hex pairs");
        assertBadRequest(VIDEO_OFFER.replace(":FF\n", ":GG\n"), "sha-256 wants 32 hex pairs");
    }

    @Test
    void sha1NextToSha256IsPassedOver() throws Exception {
        String sha1 = "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\n";
        String lowerCase = VIDEO_OFFER.replace("AA:BB:CC:DD:EE:FF\n", "aa:bb:cc:dd:ee:ff\n")
                .replace("a=fingerprint:sha-256", sha1 + "a=fingerprint:SHA-256");
        Fingerprint fingerprint = SdpOffer.parse(lowerCase).media().get(0).fingerprint();
        assertEquals(new Fingerprint("sha-256",
                "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"),
                fingerprint);
    }

    @Test
    void badTransportAttributes() {
        assertBadRequest(VIDEO_OFFER.replace("a=setup:actpass", "a=setup:holdconn"), "actpass, active or passive");
        assertBadRequest(VIDEO_OFFER.replace("a=ice-ufrag:abcd", "a=ice-ufrag:ab cd"), "expected 1 to 256 of");
        assertBadRequest(VIDEO_OFFER + "a=ice-pwd:zzzzzzzzzzzzzzzzzzzzzz\n", "a second, different value");
        assertBadRequest(VIDEO_OFFER + "a=mid:w\n", "a second a=mid");
        assertBadRequest(VIDEO_OFFER.replace("a=group:BUNDLE v", "a=group:BUNDLE v x"), "names mid 'x'");
        assertBadRequest(VIDEO_OFFER + VIDEO_OFFER.substring(VIDEO_OFFER.indexOf("m=")), "two m-sections have a=mid:v");
    }

    @Test
    void lenientCorners() throws Exception {
        // CRLF, a trailing blank line, no BUNDLE group, a static payload type without rtpmap, rtcp-fb for '*'.
        String offer = VIDEO_OFFER.replace("a=group:BUNDLE v\n", "").replace("SAVPF 96", "SAVPF 96 34")
                .replace("\n", "\r\n") + "a=rtcp-fb:* nack\r\n\r\n";
        SdpOffer parsed = SdpOffer.parse(offer);
        MediaSection video = parsed.media().get(0);
        assertEquals(List.of(), parsed.bundleMids());
        assertEquals("H263", video.codec(34).name());
        assertEquals(List.of("nack"), video.codec(96).rtcpFeedback());
        assertEquals(List.of("nack"), video.codec(34).rtcpFeedback());
    }

    @Test
    void sessionLevelValuesAreDefaultsForMedia() throws Exception {
        String offer = VIDEO_OFFER.replace("a=group:BUNDLE v\n", "a=group:BUNDLE v\na=ice-ufrag:sess\na=sendrecv\n")
                .replace("a=ice-ufrag:abcd\n", "").replace("a=sendonly\n", "")
                .replace("a=setup:actpass\n", "");
        MediaSection video = SdpOffer.parse(offer).media().get(0);
        assertEquals("sess", video.iceUfrag());
        assertEquals("sendrecv", video.direction());
        assertNull(video.setup());
        assertFalse(video.bundleOnly());
    }

    @Test
    void dataChannelSectionKeepsItsFormat() throws Exception {
        String offer = VIDEO_OFFER + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\na=mid:d\na=sctp-port:5000\n";
        MediaSection data = SdpOffer.parse(offer).media().get(1);
        assertEquals(List.of("webrtc-datachannel"), data.formats());
        assertEquals(List.of(), data.codecs());
        assertTrue(data.fingerprint() != null, "the session-level fingerprint applies to every section");
    }

    static void assertBadRequest(String sdp, String reasonPart) {
        SdpException e = assertThrows(SdpException.class, () -> SdpOffer.parse(sdp));
        assertFalse(e.notAcceptable(), "malformed offers are a 400: " + e.getMessage());
        assertTrue(e.getMessage().contains(reasonPart), "'" + e.getMessage() + "' should contain '" + reasonPart + "'");
    }
}
