package io.estuary.protocols.webrtc.rtp;

import static io.estuary.protocols.webrtc.rtp.RtpPacketTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpTest {

    /** The sender report ffmpeg 5.1 sent on the RTCP port while streaming the capture (before any packet). */
    static final byte[] FFMPEG_SR = hex(
            "80c8 0006"             // V=2 P=0 RC=0, PT=200 SR, length 6 words + 1
            + "23ba7f30"            // sender SSRC
            + "eeafa0eb f374bc6a"   // NTP timestamp
            + "9d1fb690"            // RTP timestamp
            + "00000000 00000000"); // packet count, octet count

    @Test
    void parsesTheSenderReportFfmpegSent() throws RtpException {
        assertTrue(Rtcp.isRtcp(FFMPEG_SR, 0, FFMPEG_SR.length));
        assertEquals(List.of(new RtcpPacket.SenderReport(0x23ba7f30L, 0xeeafa0ebf374bc6aL, 0x9d1fb690L, 0, 0)),
                Rtcp.parse(FFMPEG_SR, 0, FFMPEG_SR.length));
    }

    @Test
    void parsesACompoundPacketWithReportBlocksSdesByeAndPadding() throws RtpException {
        byte[] d = hex(
                "81c9 0007 00000001"            // RR, 1 report block, sender SSRC 1
                + "00000002 01000003 00010005 00000010 00000000 00000000" // the block (not kept)
                + "81ca 0002 00000001 0100 0000" // SDES, one chunk: SSRC 1, empty CNAME, end
                + "a2cb 0003 00000001 00000004 00000004"); // BYE of SSRCs 1 and 4, P=1 with 4 bytes of padding
        List<RtcpPacket> packets = Rtcp.parse(d, 0, d.length);
        assertEquals(List.of(new RtcpPacket.ReceiverReport(1), new RtcpPacket.Other(202),
                new RtcpPacket.Bye(List.of(1L, 4L))), packets);
    }

    @Test
    void parsesFromTheMiddleOfABuffer() throws RtpException {
        byte[] d = new byte[FFMPEG_SR.length + 5];
        System.arraycopy(FFMPEG_SR, 0, d, 3, FFMPEG_SR.length);
        assertEquals(1, Rtcp.parse(d, 3, FFMPEG_SR.length).size());
    }

    @Test
    void tellsRtcpFromRtpByTheSecondByte() {
        assertTrue(Rtcp.isRtcp(hex("80c80006"), 0, 4));   // SR
        assertTrue(Rtcp.isRtcp(hex("80df0000"), 0, 4));   // 223, the top of the RTCP range
        assertFalse(Rtcp.isRtcp(hex("80e00000"), 0, 4));  // RTP, marker set, PT 96
        assertFalse(Rtcp.isRtcp(hex("806f0000"), 0, 4));  // RTP, PT 111
        assertFalse(Rtcp.isRtcp(hex("00010000"), 0, 4));  // STUN binding request
        assertFalse(Rtcp.isRtcp(hex("80c8"), 0, 2));      // too short to be either
    }

    @Test
    void refusesMalformedCompounds() {
        assertRefused("80c9", "shorter than its 4-byte header");
        assertRefused("40c90001 00000001", "version 1");
        assertRefused("80c90002 00000001", "claims 12 bytes, 8 left");
        assertRefused("81c90001 00000001", "RR with 1 report blocks needs 32 bytes");
        assertRefused("80c80001 00000001", "SR with 0 report blocks needs 28 bytes");
        assertRefused("83cb0001 00000001", "BYE of 3 sources needs 16 bytes");
        assertRefused("80c90001 00000001 0000", "2 bytes left over");
        assertRefused("a0cb0001 00000004 80c90001 00000001", "padding"); // padding only on the last packet
        assertRefused("a0cb0001 00000000", "padding of 0 bytes");
        assertRefused("a0cb0001 00000009", "padding of 9 bytes");
    }

    @Test
    void boundsThePacketCount() {
        byte[] d = new byte[4 * 65];
        for (int i = 0; i < 65; i++) {
            d[4 * i] = (byte) 0x80;
            d[4 * i + 1] = (byte) 204; // APP with no body: legal as far as lengths go
        }
        assertRefused(d, "more than 64 packets");
    }

    private static void assertRefused(String hexBytes, String reason) {
        assertRefused(hex(hexBytes), reason);
    }

    private static void assertRefused(byte[] d, String reason) {
        RtpException e = assertThrows(RtpException.class, () -> Rtcp.parse(d, 0, d.length));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
