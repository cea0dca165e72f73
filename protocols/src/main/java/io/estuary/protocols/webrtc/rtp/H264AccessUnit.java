package io.estuary.protocols.webrtc.rtp;

import java.util.List;

/**
 * The NAL units of one H.264 access unit (one picture), without start codes or length prefixes, in decoding
 * order as RTP carried them (parameter sets and AUDs included).
 *
 * @param idr whether a NAL unit of type 5 (an IDR slice) is among them
 */
public record H264AccessUnit(long rtpTimestamp, List<byte[]> nalUnits, boolean idr) {

    public H264AccessUnit {
        nalUnits = List.copyOf(nalUnits);
    }
}
