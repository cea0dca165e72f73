package io.estuary.protocols.webrtc.sdp;

import java.util.List;

/**
 * Writes the answer of a receive-only WHIP server by the JSEP answer rules (RFC 8829 §5.3): one m-line per offered
 * m-line, same order and mids; rejected ones with port 0 and left out of the BUNDLE group; our transport attributes
 * in every accepted section (RFC 8829 §5.3.1 puts attributes at media level) and our candidates once, in the first
 * accepted section, since the BUNDLE transport is shared. No RTX, no header extensions and no transport-cc or REMB
 * are answered, so a publisher retransmits NACKed packets on the original SSRC and paces by RTCP receiver reports.
 */
public final class SdpAnswer {
    private static final String CRLF = "\r\n";
    private static final String OPUS_FMTP = "minptime=10;useinbandfec=1";
    /** The video feedback we act on, in the order we write it; each only if offered for the codec. */
    private static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir");

    private SdpAnswer() {
    }

    /** The answer text, lines ending with CRLF. */
    public static String write(Negotiation negotiation, AnswerParams params) {
        checkLine(params.iceUfrag(), "ICE ufrag");
        checkLine(params.icePwd(), "ICE pwd");
        checkLine(params.fingerprint().algorithm() + params.fingerprint().value(), "fingerprint");
        params.candidates().forEach(c -> checkLine(c, "candidate"));

        StringBuilder sdp = new StringBuilder(1024);
        line(sdp, "v=0");
        line(sdp, "o=- " + Long.toUnsignedString(params.sessionId()) + " 2 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        List<MediaSection> accepted = negotiation.accepted();
        if (!negotiation.offer().bundleMids().isEmpty()) {
            StringBuilder group = new StringBuilder("a=group:BUNDLE");
            accepted.forEach(section -> group.append(' ').append(section.mid()));
            line(sdp, group.toString());
        }
        for (MediaSection section : negotiation.offer().media()) {
            OfferedCodec codec = negotiation.codecFor(section);
            if (codec == null) {
                rejected(sdp, section);
            } else {
                accepted(sdp, negotiation, section, codec, params, section.equals(accepted.get(0)));
            }
        }
        return sdp.toString();
    }

    private static void accepted(StringBuilder sdp, Negotiation negotiation, MediaSection section, OfferedCodec codec,
            AnswerParams params, boolean carriesCandidates) {
        int pt = codec.payloadType();
        // An answer keeps the offered transport protocol (RFC 3264 §6); in practice it is always SAVPF.
        line(sdp, "m=" + section.kind() + " 9 " + section.protocol() + " " + pt);
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=mid:" + section.mid());
        line(sdp, "a=recvonly");
        line(sdp, "a=rtcp-mux");
        if (section.rtcpReducedSize()) {
            line(sdp, "a=rtcp-rsize");
        }
        line(sdp, "a=ice-ufrag:" + params.iceUfrag());
        line(sdp, "a=ice-pwd:" + params.icePwd());
        line(sdp, "a=fingerprint:" + params.fingerprint().algorithm() + " " + params.fingerprint().value());
        line(sdp, "a=setup:" + negotiation.localSetup().sdpValue());
        boolean video = section.kind().equals("video");
        line(sdp, "a=rtpmap:" + pt + " " + codec.name() + "/" + codec.clockRate()
                + (video ? "" : "/" + codec.channels()));
        // H.264: echoing the offered parameters accepts the publisher's profile and level as they are (RFC 6184
        // §8.2.2, level-asymmetry-allowed); Opus: we want FEC, and the rest are Opus's defaults (RFC 7587 §7).
        String fmtp = video ? codec.fmtpLine() : OPUS_FMTP;
        if (!fmtp.isEmpty()) {
            line(sdp, "a=fmtp:" + pt + " " + fmtp);
        }
        if (video) {
            for (String feedback : VIDEO_FEEDBACK) {
                if (codec.rtcpFeedback().contains(feedback)) {
                    line(sdp, "a=rtcp-fb:" + pt + " " + feedback);
                }
            }
        }
        if (carriesCandidates) {
            params.candidates().forEach(candidate -> line(sdp, "a=" + candidate));
            line(sdp, "a=end-of-candidates");
        }
    }

    /** A rejected m-line (RFC 3264 §6, RFC 8829 §5.3.1): port 0, the first offered format, marked inactive. */
    private static void rejected(StringBuilder sdp, MediaSection section) {
        line(sdp, "m=" + section.kind() + " 0 " + section.protocol() + " " + section.formats().get(0));
        line(sdp, "c=IN IP4 0.0.0.0");
        if (section.mid() != null) {
            line(sdp, "a=mid:" + section.mid());
        }
        line(sdp, "a=inactive");
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }

    /** Our own values must not break lines either: a stray CR or LF would forge SDP lines in the answer. */
    private static void checkLine(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '\r' || value.charAt(i) == '\n') {
                throw new IllegalArgumentException(what + " contains a line break");
            }
        }
    }
}
