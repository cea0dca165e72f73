package io.estuary.protocols.webrtc.rtp;

/**
 * One reception report block (RFC 3550, section 6.4.1) about one source we receive.
 *
 * @param ssrc               the source reported on
 * @param fractionLost       lost since the previous report, in 1/256 (0 to 255)
 * @param cumulativeLost     expected minus received since the start (24-bit signed on the wire; clamped there)
 * @param extendedHighestSeq cycles in the high 16 bits, the highest sequence number in the low 16 bits
 * @param jitter             interarrival jitter in RTP timestamp units (RFC 3550 A.8)
 * @param lastSr             the middle 32 bits of the last SR's NTP timestamp, 0 if none yet
 * @param delaySinceLastSr   time since that SR arrived, in 1/65536 seconds, 0 if none yet
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq, long jitter,
        long lastSr, long delaySinceLastSr) {
}
