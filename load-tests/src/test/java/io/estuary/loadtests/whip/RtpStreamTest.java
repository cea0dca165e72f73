package io.estuary.loadtests.whip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.protocols.webrtc.rtp.Rtcp;
import io.estuary.protocols.webrtc.rtp.RtcpPacket;
import io.estuary.protocols.webrtc.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

/**
 * Packets of one source as the server's SRTP and RTP parsing read them: consecutive sequence numbers across the
 * 16-bit wrap, timestamps offset from one base, the marker; retransmissions are the very bytes sent before, while
 * the history holds them.
 */
class RtpStreamTest {

    @Test
    void packetsDecryptAndCarryOnAcrossTheSequenceWrap() throws Exception {
        SrtpPair srtp = new SrtpPair();
        RtpStream stream = new RtpStream(96, 0xABCDEF01L, 90_000, 4, srtp.publisher);
        byte[][] sent = new byte[70_000][];
        RtpPacket first = null;
        for (int i = 0; i < sent.length; i++) {
            sent[i] = stream.packet(i % 3 == 2, 3000L * (i / 3), new byte[] {(byte) i, 1, 2});
            RtpPacket p = srtp.receive(sent[i]);
            if (first == null) {
                first = p;
            }
            assertEquals((first.sequenceNumber() + i) & 0xFFFF, p.sequenceNumber());
            assertEquals((first.timestamp() + 3000L * (i / 3)) & 0xFFFF_FFFFL, p.timestamp());
            assertEquals(i % 3 == 2, p.marker());
            assertEquals(96, p.payloadType());
            assertEquals(0xABCDEF01L, p.ssrc());
            assertArrayEquals(new byte[] {(byte) i, 1, 2}, p.payload());
        }
        assertEquals(70_000, stream.packets());

        // The last four are in the history, byte for byte; older ones and unknown numbers are not.
        int lastSeq = (first.sequenceNumber() + sent.length - 1) & 0xFFFF;
        for (int back = 0; back < 4; back++) {
            assertSame(sent[sent.length - 1 - back], stream.retransmission((lastSeq - back) & 0xFFFF));
        }
        assertNull(stream.retransmission((lastSeq - 4) & 0xFFFF));
        assertNull(new RtpStream(111, 1, 48_000, 0, srtp.publisher).retransmission(0), "audio keeps none");
        assertThrows(IllegalArgumentException.class, () -> new RtpStream(96, 1, 90_000, 3, srtp.publisher));
    }

    @Test
    void theSenderReportTiesTheRtpClockToTheWallClock() throws Exception {
        SrtpPair srtp = new SrtpPair();
        RtpStream stream = new RtpStream(111, 0x1234L, 48_000, 0, srtp.publisher);
        RtpPacket first = srtp.receive(stream.packet(true, 0, new byte[] {1}));
        stream.packet(false, 960, new byte[] {2, 3});
        byte[] report = stream.senderReport(0x1122334455667788L, 2_500_000_000L, "c");
        RtcpPacket.SenderReport sr = (RtcpPacket.SenderReport) Rtcp.parse(report, 0, report.length).get(0);
        assertEquals(0x1234L, sr.ssrc());
        assertEquals(0x1122334455667788L, sr.ntpTimestamp());
        // 2.5 s after media time 0 is 120000 ticks of 48 kHz past the first packet's timestamp.
        assertEquals((first.timestamp() + 120_000) & 0xFFFF_FFFFL, sr.rtpTimestamp());
        assertEquals(2, sr.packetCount());
        assertEquals(3, sr.octetCount(), "payload octets only");
        assertTrue(srtp.publisher.protectRtcp(report).length > report.length);
    }
}
