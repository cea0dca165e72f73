package io.estuary.protocols.webrtc.rtp;

import static io.estuary.protocols.webrtc.rtp.RtpPacketTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpWriterTest {
    private static final List<ReportBlock> NO_BLOCKS = List.of();

    /** RR without blocks plus SDES CNAME "ab" from SSRC 0x11223344: the head of every packet below. */
    private static final String RR_SDES =
            "80c9 0001 11223344"               // RR, RC=0, length 1: sender SSRC
            + "81ca 0003 11223344"             // SDES, SC=1, length 3: chunk of SSRC
            + "0102 6162 00000000";            // CNAME (1), 2 bytes "ab", END + padding to 32 bits

    @Test
    void receiverReportWithABlock() {
        ReportBlock block = new ReportBlock(0xaabbccddL, 64, 300, 0x0001ffffL, 1234, 0x89abcdefL, 65536);
        assertHex("81c9 0007 11223344"         // RR, RC=1, length 7
                + "aabbccdd"                     // source
                + "40 00012c"                    // fraction 64/256, cumulative 300
                + "0001ffff"                     // one wrap, highest 65535
                + "000004d2"                     // jitter 1234
                + "89abcdef 00010000"            // LSR, DLSR one second
                + "81ca 0003 11223344 0102 6162 00000000",
                RtcpWriter.receiverReport(0x11223344L, "ab", List.of(block)));
    }

    @Test
    void negativeCumulativeLossIsTwentyFourBitsSigned() {
        ReportBlock block = new ReportBlock(1, 0, -2, 0, 0, 0, 0); // duplicates make it negative (RFC 3550 6.4.1)
        byte[] rr = RtcpWriter.receiverReport(2, "x", List.of(block));
        assertEquals("00fffffe", HexFormat.of().formatHex(rr, 12, 16));
    }

    @Test
    void sdesChunkEndsWithAtLeastOneZeroOctet() {
        // CNAME "x": SSRC and 3 bytes of item, so 1 zero byte (END) reaches the 32-bit boundary
        assertHex("80c9 0001 00000001 81ca 0002 00000001 0101 78 00",
                RtcpWriter.receiverReport(1, "x", NO_BLOCKS));
        // CNAME "abc": 5 bytes of item, 3 zero bytes
        assertHex("80c9 0001 00000001 81ca 0003 00000001 0103 616263 000000",
                RtcpWriter.receiverReport(1, "abc", NO_BLOCKS));
    }

    @Test
    void nackPacksTheRfc4585Example() {
        // RFC 4585 6.2.1: PID = the first lost packet, bit i of BLP = PID+i+1 lost too
        assertHex(RR_SDES
                + "81cd 0004 11223344 55667788" // RTPFB, FMT=1 generic NACK, length 4
                + "0064 8005"                    // PID 100, BLP: 101 (bit 0), 103 (bit 2), 116 (bit 15)
                + "0075 0000",                   // PID 117: beyond 16 after 100, a new entry
                RtcpWriter.nack(0x11223344L, "ab", NO_BLOCKS, 0x55667788L, List.of(100, 101, 103, 116, 117)));
    }

    @Test
    void nackBitmaskSpansTheSequenceNumberWrap() {
        assertHex(RR_SDES + "81cd 0003 11223344 55667788 fffe 0007",
                RtcpWriter.nack(0x11223344L, "ab", NO_BLOCKS, 0x55667788L, List.of(65534, 65535, 0, 1)));
    }

    @Test
    void pli() {
        assertHex(RR_SDES + "81ce 0002 11223344 55667788", // PSFB, FMT=1 PLI, no FCI
                RtcpWriter.pli(0x11223344L, "ab", NO_BLOCKS, 0x55667788L));
    }

    @Test
    void fir() {
        assertHex(RR_SDES
                + "84ce 0004 11223344 00000000"  // PSFB, FMT=4 FIR; media source unused (RFC 5104 4.3.1.2)
                + "55667788 07000000",            // FCI: SSRC, command sequence number 7, reserved
                RtcpWriter.fir(0x11223344L, "ab", NO_BLOCKS, 0x55667788L, 7));
    }

    @Test
    void everyPacketWrittenParsesBack() throws RtpException {
        byte[] d = RtcpWriter.nack(1, "estuary", List.of(new ReportBlock(9, 0, 0, 0, 0, 0, 0)), 9, List.of(5));
        assertEquals(List.of(new RtcpPacket.ReceiverReport(1), new RtcpPacket.Other(202), new RtcpPacket.Other(205)),
                Rtcp.parse(d, 0, d.length));
    }

    @Test
    void refusesWhatCannotBeWritten() {
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.nack(1, "a", NO_BLOCKS, 2, List.of()));
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.nack(1, "a", NO_BLOCKS, 2, List.of(70000)));
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.pli(1, "x".repeat(256), NO_BLOCKS, 2));
        List<ReportBlock> tooMany = java.util.Collections.nCopies(32, new ReportBlock(1, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.receiverReport(1, "a", tooMany));
    }

    private static void assertHex(String expected, byte[] actual) {
        assertArrayEquals(hex(expected), actual, () -> HexFormat.of().formatHex(actual));
    }
}
