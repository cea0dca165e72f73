package io.estuary.loadtests.whip;

import io.estuary.protocols.webrtc.sdp.MediaSection;
import io.estuary.protocols.webrtc.sdp.SdpException;
import io.estuary.protocols.webrtc.sdp.SdpOffer;
import io.estuary.protocols.webrtc.sdp.Setup;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The publisher's side of the WHIP offer/answer (RFC 9725 section 4.2, RFC 8829): the offer a browser makes for one
 * camera and one microphone, and what it needs from the server's answer.
 */
final class WhipSdp {
    static final int H264_PT = 96;
    static final int OPUS_PT = 111;
    private static final String CRLF = "\r\n";

    private WhipSdp() {
    }

    /** Our side of the session, as the offer states it. */
    /** {@code setup}: {@code actpass} (as browsers offer: the server picks), or {@code passive} (we are the DTLS server). */
    record Local(String iceUfrag, String icePwd, String fingerprintSha256, List<String> candidates, long videoSsrc,
            long audioSsrc, String cname, byte[] sps, String setup) {
    }

    /** What the answer tells us: the server's ICE credentials and candidates, and its certificate's fingerprint. */
    record Answer(String iceUfrag, String icePwd, String fingerprintAlgorithm, String fingerprint, Setup setup,
            List<String> candidates) {
        Answer {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * A send-only offer of H.264 (packetization-mode 1, the clip's own profile and level) and Opus, bundled on one
     * transport with RTCP multiplexed (RFC 8843, RFC 5761), DTLS role left to the server (actpass, RFC 5763), our
     * candidates all in the offer (no trickle) and NACK, PLI and FIR offered for video as Chromium does.
     */
    static String offer(Local local, long sessionId) {
        StringBuilder sdp = new StringBuilder(1024);
        line(sdp, "v=0");
        line(sdp, "o=- " + Long.toUnsignedString(sessionId) + " 2 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        line(sdp, "a=group:BUNDLE 0 1");
        section(sdp, local, "video", "0", H264_PT, local.videoSsrc(), true);
        line(sdp, "a=rtpmap:" + H264_PT + " H264/90000");
        line(sdp, "a=rtcp-fb:" + H264_PT + " nack");
        line(sdp, "a=rtcp-fb:" + H264_PT + " nack pli");
        line(sdp, "a=rtcp-fb:" + H264_PT + " ccm fir");
        // profile-level-id is the SPS's profile_idc, constraint flags and level_idc (RFC 6184 section 8.1).
        line(sdp, "a=fmtp:" + H264_PT + " level-asymmetry-allowed=1;packetization-mode=1;profile-level-id="
                + HexFormat.of().formatHex(local.sps(), 1, 4));
        line(sdp, "a=ssrc:" + local.videoSsrc() + " cname:" + local.cname());
        section(sdp, local, "audio", "1", OPUS_PT, local.audioSsrc(), false);
        line(sdp, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
        line(sdp, "a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");
        line(sdp, "a=ssrc:" + local.audioSsrc() + " cname:" + local.cname());
        return sdp.toString();
    }

    private static void section(StringBuilder sdp, Local local, String kind, String mid, int pt, long ssrc,
            boolean candidates) {
        line(sdp, "m=" + kind + " 9 UDP/TLS/RTP/SAVPF " + pt);
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=mid:" + mid);
        line(sdp, "a=sendonly");
        line(sdp, "a=rtcp-mux");
        line(sdp, "a=rtcp-rsize");
        line(sdp, "a=ice-ufrag:" + local.iceUfrag());
        line(sdp, "a=ice-pwd:" + local.icePwd());
        line(sdp, "a=fingerprint:sha-256 " + local.fingerprintSha256());
        line(sdp, "a=setup:" + local.setup());
        if (candidates) {
            local.candidates().forEach(c -> line(sdp, "a=" + c));
            line(sdp, "a=end-of-candidates");
        }
    }

    /**
     * Reads the answer with the server's own SDP parser (an answer is SDP with the same attributes): the transport
     * of the first accepted m-section, which BUNDLE makes everyone's, and the candidates of all of them.
     *
     * @throws SdpException when the answer is not SDP, accepts no section, or lacks ICE credentials or a fingerprint
     */
    static Answer answer(String sdp) throws SdpException {
        SdpOffer parsed = SdpOffer.parse(sdp);
        MediaSection first = null;
        List<String> candidates = new ArrayList<>();
        for (MediaSection m : parsed.media()) {
            if (m.port() == 0) {
                continue; // rejected
            }
            if (first == null) {
                first = m;
            }
            candidates.addAll(m.candidates());
        }
        if (first == null) {
            throw new SdpException("the answer accepts no m-section", false);
        }
        if (first.iceUfrag() == null || first.icePwd() == null || first.fingerprint() == null) {
            throw new SdpException("the answer lacks ice-ufrag, ice-pwd or fingerprint", false);
        }
        return new Answer(first.iceUfrag(), first.icePwd(), first.fingerprint().algorithm(),
                first.fingerprint().value(), first.setup(), candidates);
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
