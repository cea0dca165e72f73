package io.estuary.protocols.webrtc.rtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One received source (SSRC): puts packets back in sequence order, notices what is missing, schedules NACKs for
 * it and gives up on it after {@link Settings#maxWait()}, and keeps the figures of the reception report.
 *
 * <p>The buffer is a ring of {@link Settings#capacity()} slots indexed by the extended sequence number (RFC 3550
 * A.1: 16-bit numbers plus a count of wraps). Its window starts at the oldest packet not yet released; a packet
 * too far ahead for the ring pushes the window forward, giving up the oldest gaps and queueing what was already
 * there for {@link #release}. Callers are expected to call {@link #release} after each {@link #receive}; the
 * queue of released-but-not-collected packets is bounded by the capacity as well.
 *
 * <p>A jump of more than {@code max(3000, capacity)} ahead or {@code max(100, capacity)} back is, as in RFC 3550
 * A.1, taken for a restarted source only when the next packet follows it; a lone stray packet is dropped.
 *
 * <p>A NACK for a missing packet goes out as soon as the gap is seen (no reorder grace period: WebRTC senders
 * pace packets in order), then every {@link Settings#nackInterval()}, at most {@link Settings#maxNacksPerPacket()}
 * times, and never once the packet is about to be given up anyway.
 */
public final class ReceiveStream {
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int MAX_CAPACITY = 16_384;

    private static final byte EMPTY = 0;
    private static final byte MISSING = 1;
    private static final byte PRESENT = 2;
    private static final byte RELEASED = 3;
    private static final byte GIVEN_UP = 4;

    /**
     * @param capacity          packets the reorder buffer holds, e.g. 1024 (at most 16384, so that a sequence
     *                          number in the window is never ambiguous)
     * @param nackInterval      time between two requests for the same packet, e.g. 40 ms
     * @param maxNacksPerPacket requests per missing packet, e.g. 10
     * @param maxWait           how long a gap may hold back later packets, e.g. 400 ms video, 100 ms audio
     */
    public record Settings(int capacity, Duration nackInterval, int maxNacksPerPacket, Duration maxWait) {

        public Settings {
            if (capacity < 1 || capacity > MAX_CAPACITY) {
                throw new IllegalArgumentException("capacity must be 1 to " + MAX_CAPACITY + ": " + capacity);
            }
            if (nackInterval.isNegative() || maxWait.isNegative() || maxNacksPerPacket < 0) {
                throw new IllegalArgumentException("negative NACK interval, NACK count or wait");
            }
        }

        public static Settings video() {
            return new Settings(1024, Duration.ofMillis(40), 10, Duration.ofMillis(400));
        }

        public static Settings audio() {
            return new Settings(256, Duration.ofMillis(40), 10, Duration.ofMillis(100));
        }

        /** These settings, waiting {@code wait} for a gap (the operator's choice) before giving it up. */
        public Settings withMaxWait(Duration wait) {
            return new Settings(capacity, nackInterval, maxNacksPerPacket, wait);
        }
    }

    /** A packet leaving the buffer in order; {@code afterGap} when packets before it were given up. */
    public record Released(RtpPacket packet, boolean afterGap) {
    }

    private final long ssrc;
    private final int capacity;
    private final long nackIntervalNanos;
    private final int maxNacksPerPacket;
    private final long maxWaitNanos;
    private final ReceptionStatistics statistics;

    private final RtpPacket[] packets;
    private final long[] slotSeq;
    private final byte[] state;
    private final long[] missingSince;
    private final long[] lastNack;
    private final int[] nackCount;
    private final ArrayDeque<Released> ready = new ArrayDeque<>();

    private boolean started;
    /** Extended sequence number of the oldest packet not yet released or given up. */
    private long start;
    /** Highest extended sequence number seen. */
    private long maxSeq;
    private int missingCount;
    private boolean gapPending;
    private RtpPacket probation;

    private long packetsReceived;
    private long packetsLost;
    private long packetsRecovered;
    private long nacksRequested;
    private long duplicates;
    private long latePackets;

    public ReceiveStream(long ssrc, int clockRate, Settings settings) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        this.ssrc = ssrc;
        this.capacity = settings.capacity();
        this.nackIntervalNanos = settings.nackInterval().toNanos();
        this.maxNacksPerPacket = settings.maxNacksPerPacket();
        this.maxWaitNanos = settings.maxWait().toNanos();
        this.statistics = new ReceptionStatistics(ssrc, clockRate);
        packets = new RtpPacket[capacity];
        slotSeq = new long[capacity];
        state = new byte[capacity];
        missingSince = new long[capacity];
        lastNack = new long[capacity];
        nackCount = new int[capacity];
        Arrays.fill(slotSeq, Long.MIN_VALUE);
    }

    public long ssrc() {
        return ssrc;
    }

    /** Takes one packet of this source; duplicates and packets older than the window are counted and dropped. */
    public void receive(RtpPacket p, long nowNanos) {
        if (!started) {
            begin(p, nowNanos);
            return;
        }
        long seq = extend(p.sequenceNumber());
        if (seq - maxSeq > Math.max(MAX_DROPOUT, capacity) || maxSeq - seq > Math.max(MAX_MISORDER, capacity)) {
            if (probation != null && p.sequenceNumber() == (probation.sequenceNumber() + 1 & 0xffff)) {
                RtpPacket first = probation;
                probation = null;
                restart(first, nowNanos);
                receive(p, nowNanos);
            } else {
                probation = p;
            }
            return;
        }
        if (seq < start) {
            int i = slot(seq);
            if (slotSeq[i] == seq && state[i] == RELEASED) {
                duplicates++;
            } else {
                latePackets++;
            }
            return;
        }
        if (seq >= start + capacity) {
            advanceWindow(seq - capacity + 1);
        }
        for (long s = Math.max(maxSeq + 1, start); s < seq; s++) {
            int i = slot(s);
            packets[i] = null;
            slotSeq[i] = s;
            state[i] = MISSING;
            missingSince[i] = nowNanos;
            nackCount[i] = 0;
            missingCount++;
        }
        maxSeq = Math.max(maxSeq, seq);
        int i = slot(seq);
        boolean wasMissing = slotSeq[i] == seq && state[i] == MISSING;
        if (slotSeq[i] == seq && state[i] == PRESENT) {
            duplicates++;
            return;
        }
        boolean retransmitted = wasMissing && nackCount[i] > 0;
        if (wasMissing) {
            missingCount--;
        }
        if (retransmitted) {
            packetsRecovered++;
        }
        packets[i] = p;
        slotSeq[i] = seq;
        state[i] = PRESENT;
        packetsReceived++;
        statistics.onPacket(seq, p.timestamp(), nowNanos, !retransmitted);
    }

    /** The packets now in order; a packet after a given-up gap comes with {@code afterGap}. */
    public List<Released> release(long nowNanos) {
        List<Released> out = new ArrayList<>(ready);
        ready.clear();
        while (started && start <= maxSeq) {
            int i = slot(start);
            if (state[i] == PRESENT) {
                out.add(new Released(packets[i], gapPending));
                gapPending = false;
                packets[i] = null;
                state[i] = RELEASED;
            } else if (nowNanos - missingSince[i] >= maxWaitNanos) {
                giveUp(i);
            } else {
                break;
            }
            start++;
        }
        return out;
    }

    /** The missing sequence numbers to request now, oldest first; each is marked as requested. */
    public List<Integer> nacksDue(long nowNanos) {
        if (missingCount == 0) {
            return List.of();
        }
        List<Integer> due = new ArrayList<>();
        for (long s = start; s <= maxSeq; s++) {
            int i = slot(s);
            if (state[i] != MISSING || nackCount[i] >= maxNacksPerPacket
                    || nowNanos - missingSince[i] >= maxWaitNanos
                    || nackCount[i] > 0 && nowNanos - lastNack[i] < nackIntervalNanos) {
                continue;
            }
            nackCount[i]++;
            lastNack[i] = nowNanos;
            nacksRequested++;
            due.add((int) (s & 0xffff));
        }
        return due;
    }

    public void onSenderReport(RtcpPacket.SenderReport sr, long nowNanos) {
        statistics.onSenderReport(sr.ntpTimestamp(), nowNanos);
    }

    /** The report block for the next RR; fraction lost counts from the previous call. */
    public ReportBlock reportBlock(long nowNanos) {
        return statistics.reportBlock(nowNanos);
    }

    /** Packets accepted: neither duplicates nor too late. */
    public long packetsReceived() {
        return packetsReceived;
    }

    /** Packets given up on (never arrived in time), plus any dropped when {@link #release} was not called. */
    public long packetsLost() {
        return packetsLost;
    }

    /** Packets that arrived after we had asked for them. */
    public long packetsRecovered() {
        return packetsRecovered;
    }

    /** Sequence numbers requested, repetitions included. */
    public long nacksRequested() {
        return nacksRequested;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Packets that arrived after their place was given up, or too old to tell. */
    public long latePackets() {
        return latePackets;
    }

    private void begin(RtpPacket p, long nowNanos) {
        started = true;
        long seq = p.sequenceNumber();
        start = seq;
        maxSeq = seq;
        int i = slot(seq);
        packets[i] = p;
        slotSeq[i] = seq;
        state[i] = PRESENT;
        packetsReceived++;
        statistics.restart(seq);
        statistics.onPacket(seq, p.timestamp(), nowNanos, true);
    }

    /** The source restarted its numbering: what is buffered goes out in order, then we begin anew. */
    private void restart(RtpPacket first, long nowNanos) {
        advanceWindow(maxSeq + 1);
        Arrays.fill(packets, null);
        Arrays.fill(state, EMPTY);
        Arrays.fill(slotSeq, Long.MIN_VALUE);
        missingCount = 0;
        gapPending = true;
        begin(first, nowNanos);
    }

    /** RFC 3550 A.1: the extended number closest to the highest seen (16-bit difference taken as signed). */
    private long extend(int sequenceNumber) {
        return maxSeq + (short) (sequenceNumber - (int) (maxSeq & 0xffff));
    }

    /** Moves the window start to {@code newStart}: present packets to the ready queue, gaps given up. */
    private void advanceWindow(long newStart) {
        while (start < newStart) {
            if (start > maxSeq) {
                // Numbers between the highest seen and the new start never arrived at all.
                packetsLost += newStart - start;
                gapPending = true;
                start = newStart;
                break;
            }
            int i = slot(start);
            if (state[i] == PRESENT) {
                ready.add(new Released(packets[i], gapPending));
                gapPending = false;
                packets[i] = null;
                state[i] = RELEASED;
            } else {
                giveUp(i);
            }
            start++;
        }
        while (ready.size() > capacity) {
            ready.removeFirst();
            packetsLost++;
            Released next = ready.removeFirst();
            ready.addFirst(new Released(next.packet(), true));
        }
    }

    private void giveUp(int i) {
        state[i] = GIVEN_UP;
        missingCount--;
        packetsLost++;
        gapPending = true;
    }

    private int slot(long seq) {
        return (int) Math.floorMod(seq, (long) capacity);
    }
}
