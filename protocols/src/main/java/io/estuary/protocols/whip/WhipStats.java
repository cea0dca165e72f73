package io.estuary.protocols.whip;

import java.util.concurrent.atomic.LongAdder;

/**
 * The WHIP ingest's counters, for the server's metrics: totals over every session since start. Sessions add to
 * them from their own threads as things happen (never at their end only), so a scrape during a stream shows its
 * losses and recoveries as they occur.
 */
public final class WhipStats {
    final LongAdder sessionsStarted = new LongAdder();
    final LongAdder sessionsFailed = new LongAdder();
    final LongAdder rtpPackets = new LongAdder();
    final LongAdder rtpBytes = new LongAdder();
    final LongAdder videoFrames = new LongAdder();
    final LongAdder audioFrames = new LongAdder();
    final LongAdder packetsLost = new LongAdder();
    final LongAdder packetsRecovered = new LongAdder();
    final LongAdder nackedPackets = new LongAdder();
    final LongAdder plis = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder unknownPayloadType = new LongAdder();
    final LongAdder srtpFailures = new LongAdder();
    final LongAdder stray = new LongAdder();
    final LongAdder simulatedDrops = new LongAdder();

    /** Sessions that reached ICE+DTLS+SRTP and started receiving. */
    public long sessionsStarted() {
        return sessionsStarted.sum();
    }

    /** Sessions that ended before media flowed: ICE or DTLS failed or timed out. */
    public long sessionsFailed() {
        return sessionsFailed.sum();
    }

    public long rtpPackets() {
        return rtpPackets.sum();
    }

    public long rtpBytes() {
        return rtpBytes.sum();
    }

    public long videoFrames() {
        return videoFrames.sum();
    }

    public long audioFrames() {
        return audioFrames.sum();
    }

    /** RTP packets given up after waiting (and NACKing) for them. */
    public long packetsLost() {
        return packetsLost.sum();
    }

    /** RTP packets that arrived after we NACKed them: retransmissions that repaired a gap. */
    public long packetsRecovered() {
        return packetsRecovered.sum();
    }

    /** Packets asked for again in NACKs (a packet asked for twice counts twice). */
    public long nackedPackets() {
        return nackedPackets.sum();
    }

    /** Keyframe requests (PLI) sent. */
    public long keyframeRequests() {
        return plis.sum();
    }

    /** Datagrams dropped on the media port, by reason: malformed RTP/RTCP. */
    public long malformed() {
        return malformed.sum();
    }

    /** RTP of a payload type that the answer did not accept. */
    public long unknownPayloadType() {
        return unknownPayloadType.sum();
    }

    /** SRTP/SRTCP packets that failed authentication or were replays. */
    public long srtpFailures() {
        return srtpFailures.sum();
    }

    /** Datagrams that are neither DTLS nor RTP/RTCP (RFC 7983), or media before the keys were agreed. */
    public long stray() {
        return stray.sum();
    }

    /** RTP packets dropped on purpose ({@code estuary.whip.simulated-loss}). */
    public long simulatedDrops() {
        return simulatedDrops.sum();
    }
}
