package io.estuary.loadtests.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.protocols.webrtc.sdp.AnswerParams;
import io.estuary.protocols.webrtc.sdp.Fingerprint;
import io.estuary.protocols.webrtc.sdp.Negotiation;
import io.estuary.protocols.webrtc.sdp.SdpAnswer;
import io.estuary.protocols.webrtc.sdp.SdpException;
import io.estuary.protocols.webrtc.sdp.SdpOffer;
import io.estuary.protocols.webrtc.sdp.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our offer through the server's negotiation, and the server's answer through our reading of it. */
class WhipSdpTest {
    private static final String FINGERPRINT = String.join(":", java.util.Collections.nCopies(32, "AB"));
    private static final String CANDIDATE = "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host";

    @Test
    void theServerAcceptsOurOfferAndWeReadItsAnswer() throws Exception {
        byte[] sps = {0x67, 0x42, (byte) 0xC0, 0x1E, 0x00};
        String offer = WhipSdp.offer(new WhipSdp.Local("ufrag1", "pwdoftwentytwocharsxyz", FINGERPRINT,
                List.of(CANDIDATE), 1111, 2222, "me", sps, "actpass"), 42);
        assertTrue(offer.contains("a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;"
                + "profile-level-id=42c01e\r\n"), offer);
        Negotiation negotiation = Negotiation.of(SdpOffer.parse(offer));
        assertEquals(96, negotiation.video().orElseThrow().codec().payloadType());
        assertEquals("H264", negotiation.video().get().codec().name());
        assertEquals(111, negotiation.audio().orElseThrow().codec().payloadType());
        assertEquals(2, negotiation.audio().get().codec().channels());
        assertEquals(List.of(CANDIDATE), negotiation.remoteCandidates());
        assertEquals("ufrag1", negotiation.remoteIceUfrag());
        assertEquals(new Fingerprint("sha-256", FINGERPRINT), negotiation.remoteFingerprint());
        assertEquals(Setup.PASSIVE, negotiation.localSetup(), "the server takes DTLS server, we are client");

        String serverFingerprint = FINGERPRINT.replace("AB", "CD");
        String answer = SdpAnswer.write(negotiation, new AnswerParams("srvU", "serverpassword22chars0",
                new Fingerprint("sha-256", serverFingerprint),
                List.of("candidate:7 1 udp 2130706431 127.0.0.1 8189 typ host"), 99));
        WhipSdp.Answer read = WhipSdp.answer(answer);
        assertEquals(new WhipSdp.Answer("srvU", "serverpassword22chars0", "sha-256", serverFingerprint,
                Setup.PASSIVE, List.of("candidate:7 1 udp 2130706431 127.0.0.1 8189 typ host")), read);
    }

    @Test
    void anAnswerWithoutCredentialsIsRefused() {
        String noIce = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:96 H264/90000\r\n";
        assertThrows(SdpException.class, () -> WhipSdp.answer(noIce));
        assertThrows(SdpException.class, () -> WhipSdp.answer("HTTP/1.1 500\r\n"));
    }
}
