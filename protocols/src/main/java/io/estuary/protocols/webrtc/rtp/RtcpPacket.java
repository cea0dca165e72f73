package io.estuary.protocols.webrtc.rtp;

import java.util.List;

/**
 * The RTCP packets (RFC 3550, section 6) a receiver of WebRTC media acts upon; every other type is reported as
 * {@link Other} so that a compound packet parses whole. Report blocks inside SR/RR are not kept: they describe
 * media we would have sent, and ingest sends none.
 */
public sealed interface RtcpPacket {

    /** SR (type 200): maps the sender's NTP wall clock to its RTP clock, the anchor of lip sync. */
    record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount)
            implements RtcpPacket {
    }

    /** RR (type 201). */
    record ReceiverReport(long ssrc) implements RtcpPacket {
    }

    /** BYE (type 203): these sources are leaving. */
    record Bye(List<Long> ssrcs) implements RtcpPacket {

        public Bye {
            ssrcs = List.copyOf(ssrcs);
        }
    }

    /** Any other type (SDES 202, APP 204, feedback 205/206, XR 207...), skipped by its length. */
    record Other(int packetType) implements RtcpPacket {
    }
}
