package io.estuary.protocols.webrtc.sdp;

import java.util.List;

/**
 * One m-section of an offer, with the transport attributes already resolved: the media-level value, else the
 * session-level one, else null.
 *
 * @param kind            the media type, e.g. "audio", "video", "application"
 * @param direction       "sendrecv" (the default), "sendonly", "recvonly" or "inactive"
 * @param codecs          the RTP payload formats of the m-line in offer (preference) order; formats without an
 *                        rtpmap and without a static assignment (RFC 3551) are left out
 * @param ssrcs           the distinct SSRCs of the {@code a=ssrc} lines, in order
 * @param candidates      the full {@code a=candidate} attribute values, "candidate:1 1 udp ..."
 * @param formats         every fmt token of the m-line as written (RTP payload types, or e.g. "webrtc-datachannel")
 * @param rtcpReducedSize whether the section has {@code a=rtcp-rsize} (RFC 5506)
 * @param bundleOnly      whether the section has {@code a=bundle-only} (RFC 8843 §6): a port of 0 then means
 *                        "only if bundled", not "disabled"
 */
public record MediaSection(String kind, int port, String protocol, String mid, String direction,
        String iceUfrag, String icePwd, Fingerprint fingerprint, Setup setup, boolean rtcpMux,
        List<OfferedCodec> codecs, List<Long> ssrcs, List<String> candidates,
        List<String> formats, boolean rtcpReducedSize, boolean bundleOnly) {

    public MediaSection {
        codecs = List.copyOf(codecs);
        ssrcs = List.copyOf(ssrcs);
        candidates = List.copyOf(candidates);
        formats = List.copyOf(formats);
    }

    /**
     * A section described only by the fields of the WHIP design: the formats are the codecs' payload types, without
     * rtcp-rsize or bundle-only.
     */
    public MediaSection(String kind, int port, String protocol, String mid, String direction,
            String iceUfrag, String icePwd, Fingerprint fingerprint, Setup setup, boolean rtcpMux,
            List<OfferedCodec> codecs, List<Long> ssrcs, List<String> candidates) {
        this(kind, port, protocol, mid, direction, iceUfrag, icePwd, fingerprint, setup, rtcpMux, codecs, ssrcs,
                candidates, codecs.stream().map(c -> Integer.toString(c.payloadType())).toList(), false, false);
    }

    /** The offered codec with this payload type, or null. */
    public OfferedCodec codec(int payloadType) {
        for (OfferedCodec codec : codecs) {
            if (codec.payloadType() == payloadType) {
                return codec;
            }
        }
        return null;
    }
}
