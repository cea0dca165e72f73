package io.estuary.protocols.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    @Test
    void parsesFixedHeader() throws RtpException {
        byte[] d = hex(
                "80"                    // V=2 P=0 X=0 CC=0
                + "e0"                  // M=1 PT=96
                + "3039"                // seq 12345
                + "0001e240"            // ts 123456
                + "deadbeef"            // ssrc
                + "010203");            // payload
        RtpPacket p = RtpPacket.parse(d, 0, d.length);
        assertTrue(p.marker());
        assertEquals(96, p.payloadType());
        assertEquals(12345, p.sequenceNumber());
        assertEquals(123456, p.timestamp());
        assertEquals(0xdeadbeefL, p.ssrc());
        assertArrayEquals(new byte[] {1, 2, 3}, p.payload());
    }

    @Test
    void skipsCsrcsExtensionAndPadding() throws RtpException {
        byte[] d = hex(
                "b2"                    // V=2 P=1 X=1 CC=2
                + "60"                  // M=0 PT=96
                + "ffff"                // seq 65535
                + "ffffffff"            // ts 2^32-1
                + "00000001"            // ssrc
                + "11111111 22222222"   // two CSRCs
                + "bede 0001"           // one-byte header extensions (RFC 8285), 1 word
                + "10ab0000"            // id 1, len 1: 0xab, then padding
                + "aabb"                // payload
                + "000003");            // 3 bytes of padding, the last one counting them
        RtpPacket p = RtpPacket.parse(d, 0, d.length);
        assertFalse(p.marker());
        assertEquals(65535, p.sequenceNumber());
        assertEquals(0xffffffffL, p.timestamp());
        assertEquals(1, p.ssrc());
        assertArrayEquals(hex("aabb"), p.payload());
    }

    @Test
    void parsesASliceOfALargerBufferAndOwnsItsPayload() throws RtpException {
        byte[] buffer = hex("ffff" + "8060000100000002" + "00000003" + "0405" + "ffff");
        RtpPacket p = RtpPacket.parse(buffer, 2, 14);
        buffer[14] = 0; // the caller reuses its buffer
        assertEquals(1, p.sequenceNumber());
        assertEquals(2, p.timestamp());
        assertEquals(3, p.ssrc());
        assertArrayEquals(hex("0405"), p.payload());
    }

    @Test
    void paddingOnlyPacketHasAnEmptyPayload() throws RtpException {
        byte[] d = hex("a0 60 0001 00000002 00000003 00000004"); // P=1, 4 bytes of padding
        assertEquals(0, RtpPacket.parse(d, 0, d.length).payload().length);
    }

    @Test
    void parsesAPacketCapturedFromFfmpeg() throws Exception {
        RtpPacket first = RtpCapture.load().get(0);
        assertEquals(96, first.payloadType());
        // ffmpeg opens with the SPS+PPS of the first IDR aggregated in a STAP-A
        assertEquals(24, first.payload()[0] & 0x1f);
    }

    @Test
    void refusesMalformedPackets() {
        assertRefused("8060000100000002000000", "shorter than the 12-byte header"); // 11 bytes
        assertRefused("406000010000000200000003", "version 1");
        assertRefused("8f60000100000002000000030000000000000000", "15 CSRCs do not fit");
        assertRefused("90600001000000020000000300", "extension header does not fit");
        assertRefused("906000010000000200000003bede0002aaaaaaaa", "2 words does not fit");
        assertRefused("a06000010000000200000003aa00", "padding of 0 bytes");
        assertRefused("a06000010000000200000003aa03", "padding of 3 bytes");
    }

    private static void assertRefused(String hexBytes, String reason) {
        byte[] d = hex(hexBytes);
        RtpException e = assertThrows(RtpException.class, () -> RtpPacket.parse(d, 0, d.length));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
