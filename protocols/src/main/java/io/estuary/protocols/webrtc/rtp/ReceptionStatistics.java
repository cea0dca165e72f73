package io.estuary.protocols.webrtc.rtp;

/**
 * The figures of one reception report (RFC 3550 A.3 loss, A.8 jitter, LSR/DLSR) for one source. Sequence numbers
 * arrive already extended by {@link ReceiveStream}.
 */
final class ReceptionStatistics {
    private final long ssrc;
    private final int clockRate;
    private boolean started;
    private long baseSeq;
    private long maxSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long firstArrivalNanos;
    private boolean haveTransit;
    private int lastTransit;
    /** Jitter times 16, as RFC 3550 A.8 keeps it so that the 1/16 gain needs no division. */
    private long jitterQ4;
    private boolean haveSr;
    private long lastSr;
    private long lastSrNanos;

    ReceptionStatistics(long ssrc, int clockRate) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    /**
     * RFC 3550 A.1 init_seq: a new base, counts start over (on the first packet and when the source restarts).
     * A restarted source's timestamps jump too, so the jitter estimate (kept) takes no transit from before.
     */
    void restart(long extendedSeq) {
        started = true;
        haveTransit = false;
        baseSeq = extendedSeq;
        maxSeq = extendedSeq - 1;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
    }

    /**
     * One packet accepted (not a duplicate). Retransmissions are left out of the jitter: their arrival time says
     * how long we took to ask, not how the network behaves.
     */
    void onPacket(long extendedSeq, long rtpTimestamp, long nowNanos, boolean countJitter) {
        received++;
        maxSeq = Math.max(maxSeq, extendedSeq);
        if (!countJitter) {
            return;
        }
        if (!haveTransit) {
            firstArrivalNanos = nowNanos;
        }
        long arrival = RtpClock.nanosToTicks(Math.max(0, nowNanos - firstArrivalNanos), clockRate);
        // Both clocks are compared modulo 2^32, so a wrap of either does not disturb the difference.
        int transit = (int) (arrival - rtpTimestamp);
        if (haveTransit) {
            long d = Math.abs((long) transit - lastTransit);
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
    }

    void onSenderReport(long ntpTimestamp, long nowNanos) {
        haveSr = true;
        lastSr = ntpTimestamp >>> 16 & 0xffffffffL;
        lastSrNanos = nowNanos;
    }

    ReportBlock reportBlock(long nowNanos) {
        if (!started) {
            return new ReportBlock(ssrc, 0, 0, 0, 0, 0, 0);
        }
        long expected = maxSeq - baseSeq + 1;
        long lost = expected - received;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0
                ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        int cumulative = (int) Math.max(-0x800000, Math.min(0x7fffff, lost));
        long dlsr = haveSr ? RtpClock.nanosToTicks(Math.max(0, nowNanos - lastSrNanos), 65536) : 0;
        return new ReportBlock(ssrc, fraction, cumulative, maxSeq & 0xffffffffL, jitterQ4 >> 4,
                haveSr ? lastSr : 0, Math.min(dlsr, 0xffffffffL));
    }
}
