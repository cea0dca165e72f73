package io.estuary.protocols.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against the RTP ffmpeg really sent for an Annex-B file (see the README of the test resources). */
class H264DepacketizerTest {
    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    static List<H264AccessUnit> depacketizeAll(List<RtpPacket> packets) {
        H264Depacketizer depacketizer = new H264Depacketizer();
        List<H264AccessUnit> units = new ArrayList<>();
        for (RtpPacket p : packets) {
            units.addAll(depacketizer.push(p, false));
        }
        assertFalse(depacketizer.needsKeyframe());
        assertEquals(0, depacketizer.unitsDropped());
        return units;
    }

    @Test
    void givesBackExactlyTheNalUnitsOfTheAnnexBFile() throws RtpException {
        List<RtpPacket> packets = RtpCapture.load();
        // the capture exercises every packet type of mode 1
        assertTrue(packets.stream().anyMatch(p -> (p.payload()[0] & 0x1f) == STAP_A));
        assertTrue(packets.stream().anyMatch(p -> (p.payload()[0] & 0x1f) == FU_A));
        assertTrue(packets.stream().anyMatch(p -> (p.payload()[0] & 0x1f) < STAP_A));

        List<H264AccessUnit> units = depacketizeAll(packets);
        assertEquals(60, units.size()); // 2 s at 30 fps
        List<byte[]> expected = RtpCapture.annexBNalUnits();
        List<byte[]> actual = units.stream().flatMap(u -> u.nalUnits().stream()).toList();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "NAL unit " + i);
        }
        // an IDR every 30 frames (-g 30), and one timestamp per picture, 3000 ticks (1/30 s at 90 kHz) apart
        assertEquals(List.of(0, 30), indexesOfIdr(units));
        assertEquals(3000, units.get(1).rtpTimestamp() - units.get(0).rtpTimestamp());
    }

    @Test
    void aLostFragmentDropsExactlyItsAccessUnit() throws RtpException {
        List<RtpPacket> packets = new ArrayList<>(RtpCapture.load());
        List<H264AccessUnit> complete = depacketizeAll(packets);
        // packet 6 is the first of the two FU-A fragments of picture 1 (a P picture)
        RtpPacket lost = packets.remove(6);
        assertEquals(FU_A, lost.payload()[0] & 0x1f);
        assertEquals(0x80, lost.payload()[1] & 0xc0); // start bit

        H264Depacketizer depacketizer = new H264Depacketizer();
        List<H264AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            units.addAll(depacketizer.push(packets.get(i), i == 6));
            if (i == 6 || i == 50) { // the gap, and the last P picture before the next IDR (packet 51 of the capture)
                assertTrue(depacketizer.needsKeyframe());
            }
            if (i == 57) { // the last packet of that IDR picture (58 of the capture)
                assertFalse(depacketizer.needsKeyframe());
            }
        }
        assertEquals(1, depacketizer.unitsDropped());
        List<H264AccessUnit> expected = new ArrayList<>(complete);
        H264AccessUnit dropped = expected.remove(1);
        assertEquals(lost.timestamp(), dropped.rtpTimestamp());
        assertSameUnits(expected, units);
    }

    @Test
    void aLostLastFragmentThroughTheReceiveStreamDropsItsAccessUnit() throws RtpException {
        List<RtpPacket> packets = new ArrayList<>(RtpCapture.load());
        List<H264AccessUnit> complete = depacketizeAll(packets);
        RtpPacket lost = packets.remove(7); // the end fragment (marker) of picture 1
        assertTrue(lost.marker());

        ReceiveStream stream = new ReceiveStream(lost.ssrc(), 90_000,
                new ReceiveStream.Settings(1024, Duration.ofMillis(40), 10, Duration.ofMillis(100)));
        H264Depacketizer depacketizer = new H264Depacketizer();
        List<H264AccessUnit> units = new ArrayList<>();
        long now = 0;
        for (RtpPacket p : packets) {
            now += 10_000_000L; // 10 ms apart: the gap is given up while later packets keep coming
            stream.receive(p, now);
            for (ReceiveStream.Released r : stream.release(now)) {
                units.addAll(depacketizer.push(r.packet(), r.afterGap()));
            }
        }
        assertEquals(1, stream.packetsLost());
        assertEquals(1, depacketizer.unitsDropped());
        List<H264AccessUnit> expected = new ArrayList<>(complete);
        expected.remove(1);
        assertSameUnits(expected, units);
    }

    @Test
    void anAccessUnitAlsoEndsWhenTheTimestampChanges() {
        H264Depacketizer d = new H264Depacketizer();
        assertEquals(List.of(), d.push(RtpPacket.of(false, 96, 1, 100, 1, new byte[] {0x41, 1}), false));
        List<H264AccessUnit> out = d.push(RtpPacket.of(true, 96, 2, 200, 1, new byte[] {0x41, 2}), false);
        assertEquals(2, out.size());
        assertEquals(100, out.get(0).rtpTimestamp());
        assertArrayEquals(new byte[] {0x41, 1}, out.get(0).nalUnits().get(0));
        assertEquals(200, out.get(1).rtpTimestamp());
    }

    @Test
    void malformedPayloadsDropTheirUnit() {
        byte[][] bad = {
            {0x18, 0x00, 0x05, 0x41},         // STAP-A whose NAL size runs past the payload
            {0x18, 0x00, 0x00},               // STAP-A with a zero-size NAL unit
            {0x18},                           // STAP-A with nothing in it
            {0x1c, 0x45},                     // FU-A without a byte of payload
            {0x1c, 0x05, 0x01},               // FU-A continuation with no start
            {0x19, 0x00},                     // STAP-B: not packetization-mode 1
            {0x00, 0x00},                     // NAL type 0: undefined
        };
        for (byte[] payload : bad) {
            H264Depacketizer d = new H264Depacketizer();
            assertEquals(List.of(), d.push(RtpPacket.of(true, 96, 1, 100, 1, payload), false));
            assertEquals(1, d.unitsDropped());
            assertTrue(d.needsKeyframe());
        }
    }

    @Test
    void paddingOnlyPacketsAreIgnored() {
        H264Depacketizer d = new H264Depacketizer();
        d.push(RtpPacket.of(false, 96, 1, 100, 1, new byte[] {0x41, 1}), false);
        assertEquals(List.of(), d.push(RtpPacket.of(true, 96, 2, 999, 1, new byte[0]), false));
        assertEquals(1, d.push(RtpPacket.of(true, 96, 3, 100, 1, new byte[] {0x41, 2}), false).size());
    }

    private static List<Integer> indexesOfIdr(List<H264AccessUnit> units) {
        List<Integer> idr = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            if (units.get(i).idr()) {
                idr.add(i);
            }
        }
        return idr;
    }

    private static void assertSameUnits(List<H264AccessUnit> expected, List<H264AccessUnit> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).rtpTimestamp(), actual.get(i).rtpTimestamp());
            assertEquals(expected.get(i).nalUnits().size(), actual.get(i).nalUnits().size());
            for (int n = 0; n < expected.get(i).nalUnits().size(); n++) {
                assertArrayEquals(expected.get(i).nalUnits().get(n), actual.get(i).nalUnits().get(n));
            }
        }
    }
}
