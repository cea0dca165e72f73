package io.estuary.protocols.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveStreamTest {
    private static final long MS = 1_000_000L;
    private static final ReceiveStream.Settings SETTINGS =
            new ReceiveStream.Settings(64, Duration.ofMillis(40), 3, Duration.ofMillis(400));

    private final ReceiveStream stream = new ReceiveStream(7, 90_000, SETTINGS);

    static RtpPacket packet(int seq) {
        return packet(seq, 0);
    }

    static RtpPacket packet(int seq, long timestamp) {
        return RtpPacket.of(false, 96, seq, timestamp, 7, new byte[] {(byte) seq});
    }

    private List<Integer> receiveAndRelease(long nowNanos, int... seqs) {
        for (int seq : seqs) {
            stream.receive(packet(seq), nowNanos);
        }
        return seqs(stream.release(nowNanos));
    }

    private static List<Integer> seqs(List<ReceiveStream.Released> released) {
        List<Integer> out = new ArrayList<>();
        for (ReceiveStream.Released r : released) {
            out.add(r.packet().sequenceNumber());
        }
        return out;
    }

    @Test
    void putsReorderedPacketsBackInOrder() {
        assertEquals(List.of(10), receiveAndRelease(0, 10));
        assertEquals(List.of(), receiveAndRelease(0, 13, 12));
        assertEquals(List.of(11, 12, 13), receiveAndRelease(0, 11));
        assertEquals(4, stream.packetsReceived());
        assertEquals(0, stream.packetsLost());
    }

    @Test
    void countsAndDropsDuplicates() {
        receiveAndRelease(0, 10);
        assertEquals(List.of(), receiveAndRelease(0, 12, 12)); // a duplicate still in the buffer
        assertEquals(List.of(11, 12), receiveAndRelease(0, 11, 10)); // 10: a duplicate already released
        assertEquals(2, stream.duplicates());
        assertEquals(3, stream.packetsReceived());
    }

    @Test
    void followsTheSequenceNumberAcrossItsWrap() {
        assertEquals(List.of(65534, 65535), receiveAndRelease(0, 65534, 65535, 1));
        assertEquals(List.of(0, 1), receiveAndRelease(0, 0));
        // one wrap: cycles 1, highest 1
        assertEquals(0x0001_0001L, stream.reportBlock(0).extendedHighestSeq());
        assertEquals(0, stream.reportBlock(0).cumulativeLost());
    }

    @Test
    void requestsMissingPacketsAgainEveryIntervalUpToTheLimit() {
        receiveAndRelease(0, 1, 4);
        assertEquals(List.of(2, 3), stream.nacksDue(0));           // at once when the gap shows
        assertEquals(List.of(), stream.nacksDue(39 * MS));         // not before the interval
        assertEquals(List.of(2, 3), stream.nacksDue(40 * MS));
        stream.receive(packet(2), 50 * MS);                         // the retransmission arrives
        assertEquals(List.of(3), stream.nacksDue(80 * MS));
        assertEquals(List.of(), stream.nacksDue(120 * MS));        // 3 requests for seq 3: that was the limit
        assertEquals(5, stream.nacksRequested());    // 2 + 2 + 1
        assertEquals(1, stream.packetsRecovered());
    }

    @Test
    void noRequestForAGapAboutToBeGivenUp() {
        ReceiveStream s = new ReceiveStream(7, 90_000,
                new ReceiveStream.Settings(64, Duration.ofMillis(40), 100, Duration.ofMillis(100)));
        s.receive(packet(1), 0);
        s.receive(packet(3), 0);
        assertEquals(List.of(2), s.nacksDue(0));
        assertEquals(List.of(2), s.nacksDue(80 * MS));
        assertEquals(List.of(), s.nacksDue(100 * MS));
    }

    @Test
    void givesUpAGapAfterMaxWaitAndMarksTheNextPacket() {
        receiveAndRelease(0, 1, 3, 4);
        assertEquals(List.of(), seqs(stream.release(399 * MS)));
        List<ReceiveStream.Released> released = stream.release(400 * MS);
        assertEquals(List.of(3, 4), seqs(released));
        assertTrue(released.get(0).afterGap());
        assertFalse(released.get(1).afterGap());
        assertEquals(1, stream.packetsLost());
        stream.receive(packet(2), 410 * MS); // too late now
        assertEquals(1, stream.latePackets());
        assertEquals(List.of(), stream.release(410 * MS));
    }

    @Test
    void aPacketBeyondTheCapacityGivesUpTheOldestGap() {
        ReceiveStream s = new ReceiveStream(7, 90_000,
                new ReceiveStream.Settings(8, Duration.ofMillis(40), 3, Duration.ofMillis(400)));
        s.receive(packet(1), 0);
        assertEquals(List.of(1), seqs(s.release(0)));
        for (int seq = 3; seq <= 9; seq++) {
            s.receive(packet(seq), 0); // 2 missing: the window 2..9 is full
        }
        assertEquals(List.of(), s.release(0));
        s.receive(packet(10), 0);
        List<ReceiveStream.Released> released = s.release(0);
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9, 10), seqs(released));
        assertTrue(released.get(0).afterGap());
        assertEquals(1, s.packetsLost());
    }

    @Test
    void packetsNotCollectedAreBoundedToo() {
        ReceiveStream s = new ReceiveStream(7, 90_000,
                new ReceiveStream.Settings(8, Duration.ofMillis(40), 3, Duration.ofMillis(400)));
        s.receive(packet(100), 0);
        for (int seq = 102; seq <= 130; seq++) {
            s.receive(packet(seq), 0); // 101 missing, and nobody calls release()
        }
        List<ReceiveStream.Released> released = s.release(0);
        // 8 queued for release plus the 8 the ring holds; 100 and 102..114 were dropped, 101 given up
        assertEquals(16, released.size());
        assertEquals(115, released.get(0).packet().sequenceNumber());
        assertTrue(released.get(0).afterGap());
        assertEquals(130, released.get(15).packet().sequenceNumber());
        assertEquals(15, s.packetsLost());
    }

    @Test
    void aStraySequenceNumberIsDroppedButARestartIsFollowed() {
        receiveAndRelease(0, 100, 101);
        assertEquals(List.of(), receiveAndRelease(0, 40000)); // RFC 3550 A.1: on probation
        assertEquals(List.of(102), receiveAndRelease(0, 102));
        assertEquals(List.of(), receiveAndRelease(0, 20000));
        List<ReceiveStream.Released> released = new ArrayList<>();
        stream.receive(packet(20001), 0); // follows 20000: the source restarted
        released.addAll(stream.release(0));
        assertEquals(List.of(20000, 20001), seqs(released));
        assertTrue(released.get(0).afterGap());
        assertEquals(List.of(20002), receiveAndRelease(0, 20002));
    }

    @Test
    void fractionAndCumulativeLossFollowRfc3550A3() {
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 7) {
                stream.receive(packet(seq), 0);
            }
        }
        ReportBlock first = stream.reportBlock(0);
        assertEquals(51, first.fractionLost());   // 2 of 10 expected: 2 * 256 / 10
        assertEquals(2, first.cumulativeLost());
        assertEquals(9, first.extendedHighestSeq());
        for (int seq = 10; seq < 20; seq++) {
            stream.receive(packet(seq), 0);
        }
        stream.receive(packet(3), 0);               // a late arrival counts as received again
        ReportBlock second = stream.reportBlock(0);
        assertEquals(0, second.fractionLost());     // 11 received for 10 expected in this interval
        assertEquals(1, second.cumulativeLost());
        assertEquals(19, second.extendedHighestSeq());
        assertEquals(7, second.ssrc());
    }

    @Test
    void jitterFollowsRfc3550A8() {
        // 90 kHz, a packet every 20 ms (1800 ticks): no jitter while the delay is constant
        stream.receive(packet(0, 0), 0);
        stream.receive(packet(1, 1800), 20 * MS);
        assertEquals(0, stream.reportBlock(20 * MS).jitter());
        // 10 ms late: D = 900 ticks, J = 900 / 16 = 56.25
        stream.receive(packet(2, 3600), 50 * MS);
        assertEquals(56, stream.reportBlock(50 * MS).jitter());
        // back on time: D = 900 again, J = 56.25 + (900 - 56.25) / 16 = 108.98, which A.8's fixed-point
        // arithmetic (jitter kept times 16, its update rounded) reports as 109
        stream.receive(packet(3, 5400), 60 * MS);
        assertEquals(109, stream.reportBlock(60 * MS).jitter());
    }

    @Test
    void reportsLastSenderReportAndTheDelaySinceIt() {
        stream.receive(packet(0), 0);
        assertEquals(0, stream.reportBlock(0).lastSr());
        stream.onSenderReport(new RtcpPacket.SenderReport(7, 0xeeafa0ebf374bc6aL, 0, 0, 0), 1_000 * MS);
        ReportBlock block = stream.reportBlock(2_500 * MS);
        assertEquals(0xa0ebf374L, block.lastSr());            // the middle 32 bits of the NTP timestamp
        assertEquals(98_304, block.delaySinceLastSr());       // 1.5 s in 1/65536 s
    }
}
