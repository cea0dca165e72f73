package io.estuary.protocols.webrtc.rtp;

/**
 * Maps every track's RTP timestamps onto one stream timeline whose zero is {@code originNanos}, each in its own
 * clock rate (the RTP clock rates are our timescales: 90 kHz video, 48 kHz Opus).
 *
 * <p>Each track is first anchored at its first packet's arrival time: RTP timestamps of different tracks start
 * at random values, and arrival is the only common clock before any sender report, good to within the network
 * jitter. Once a sender report is known for every track, their NTP-to-RTP mappings say where each anchor really
 * lies on the sender's wall clock; the offset of each track against the first one (video, by convention) is
 * corrected then, once. A correction that would move a track back is not applied as a step: that track's output
 * holds at its last value until its timestamps catch up, so no track's timeline ever goes backwards. A correction
 * beyond {@value #MAX_CORRECTION_SECONDS} seconds is taken for a bogus report and ignored.
 *
 * <p>There is no continuous drift correction: after the one-time alignment each track follows its own RTP
 * clock, which for a WebRTC sender is derived from one capture clock.
 */
public final class LipSync {
    private static final long MAX_CORRECTION_SECONDS = 10;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int[] clockRates;
    private final long originNanos;
    private final boolean[] started;
    /** The last RTP timestamp seen, extended to 64 bits. */
    private final long[] lastExtended;
    private final long[] anchorRtp;
    private final long[] anchorTimeline;
    private final long[] correction;
    private final long[] lastOutput;
    private final boolean[] haveSr;
    private final long[] srNtp;
    private final long[] srRtp;
    private boolean corrected;

    public LipSync(int tracks, int[] clockRates, long originNanos) {
        if (tracks < 1 || clockRates.length != tracks) {
            throw new IllegalArgumentException("need one clock rate per track, and at least one track");
        }
        for (int rate : clockRates) {
            if (rate <= 0) {
                throw new IllegalArgumentException("clock rate must be positive: " + rate);
            }
        }
        this.clockRates = clockRates.clone();
        this.originNanos = originNanos;
        started = new boolean[tracks];
        lastExtended = new long[tracks];
        anchorRtp = new long[tracks];
        anchorTimeline = new long[tracks];
        correction = new long[tracks];
        lastOutput = new long[tracks];
        haveSr = new boolean[tracks];
        srNtp = new long[tracks];
        srRtp = new long[tracks];
    }

    /** The decode timestamp, in the track's clock rate, of a packet of {@code track}: never negative or decreasing. */
    public long toTimeline(int track, long rtpTimestamp, long arrivalNanos) {
        long extended;
        if (!started[track]) {
            started[track] = true;
            extended = rtpTimestamp & 0xffffffffL;
            anchorRtp[track] = extended;
            anchorTimeline[track] = RtpClock.nanosToTicks(Math.max(0, arrivalNanos - originNanos), clockRates[track]);
            correctOnce();
        } else {
            // The 32-bit difference to the last timestamp, taken as signed, tells a wrap from a reordered packet.
            extended = lastExtended[track] + (int) (rtpTimestamp - lastExtended[track]);
        }
        lastExtended[track] = Math.max(lastExtended[track], extended);
        long dts = anchorTimeline[track] + (extended - anchorRtp[track]) + correction[track];
        lastOutput[track] = Math.max(lastOutput[track], dts);
        return lastOutput[track];
    }

    /** The NTP time (64-bit, RFC 3550 6.4.1) at which the sender's RTP clock of {@code track} read rtpTimestamp. */
    public void onSenderReport(int track, long ntpTimestamp, long rtpTimestamp) {
        haveSr[track] = true;
        srNtp[track] = ntpTimestamp;
        srRtp[track] = rtpTimestamp & 0xffffffffL;
        correctOnce();
    }

    /** Whether the one-time sender-report alignment has happened. */
    public boolean corrected() {
        return corrected;
    }

    private void correctOnce() {
        if (corrected) {
            return;
        }
        for (int t = 0; t < started.length; t++) {
            if (!started[t] || !haveSr[t]) {
                return;
            }
        }
        corrected = true;
        long reference = anchorOffsetNanos(0);
        for (int t = 1; t < started.length; t++) {
            long offNanos = reference - anchorOffsetNanos(t);
            if (Math.abs(offNanos) <= MAX_CORRECTION_SECONDS * NANOS_PER_SECOND) {
                correction[t] = Long.signum(offNanos) * RtpClock.nanosToTicks(Math.abs(offNanos), clockRates[t]);
            }
        }
    }

    /**
     * How far ahead of the sender's wall clock a track's anchor sits on our timeline: the anchor's timeline
     * position minus the NTP time of its RTP timestamp (read off the track's last sender report). Tracks in sync
     * have equal offsets.
     */
    private long anchorOffsetNanos(int t) {
        long rtpSinceSr = (int) (anchorRtp[t] - srRtp[t]); // signed: the anchor may precede the report
        long anchorNtpNanos = RtpClock.ntpToNanos(srNtp[t])
                + Long.signum(rtpSinceSr) * ticksToNanos(Math.abs(rtpSinceSr), clockRates[t]);
        return ticksToNanos(anchorTimeline[t], clockRates[t]) - anchorNtpNanos;
    }

    private static long ticksToNanos(long ticks, int rate) {
        return ticks / rate * NANOS_PER_SECOND + ticks % rate * NANOS_PER_SECOND / rate;
    }
}
