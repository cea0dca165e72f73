package io.estuary.loadtests.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.estuary.protocols.webrtc.rtp.Rtcp;
import io.estuary.protocols.webrtc.rtp.RtcpPacket;
import io.estuary.protocols.webrtc.rtp.RtcpWriter;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our sender reports as golden bytes and as the server's RTCP parser reads them; the server's own NACK and PLI
 * writer's output read back as requests.
 */
class PublisherRtcpTest {

    @Test
    void aSenderReportIsAnSrAndACnameInOneCompound() throws Exception {
        byte[] sr = PublisherRtcp.senderReport(0x11223344L, 0xE8E1_F4A5_8000_0000L, 0xA0B0C0D0L, 300, 45000, "ab");
        assertEquals("80c80006" + "11223344" + "e8e1f4a580000000" + "a0b0c0d0" + "0000012c" + "0000afc8"
                // SDES: SSRC, CNAME "ab"; the item ends on a word boundary, so a whole zero word ends the list.
                + "81ca0003" + "11223344" + "0102" + "6162" + "00000000",
                HexFormat.of().formatHex(sr));
        List<RtcpPacket> parsed = Rtcp.parse(sr, 0, sr.length);
        assertEquals(new RtcpPacket.SenderReport(0x11223344L, 0xE8E1_F4A5_8000_0000L, 0xA0B0C0D0L, 300, 45000),
                parsed.get(0));
        assertEquals(new RtcpPacket.Other(202), parsed.get(1));
        // Otherwise the zeros that end the list pad the chunk to the next word: SSRC, type, length, "abc", 0, 0, 0.
        byte[] padded = PublisherRtcp.senderReport(1, 0, 0, 0, 0, "abc");
        assertEquals(28 + 4 + 12, padded.length);
        assertEquals(2, Rtcp.parse(padded, 0, padded.length).size());
    }

    @Test
    void ntpTimeCountsFrom1900InFixedPoint() {
        // 2026-01-01T00:00:00.5Z: 1767225600 s after 1970, plus 70 years of seconds; half a second is 0x80000000.
        long unixNanos = 1_767_225_600_500_000_000L;
        assertEquals((1_767_225_600L + 2_208_988_800L) << 32 | 0x8000_0000L, PublisherRtcp.ntp(unixNanos));
    }

    @Test
    void theServersNacksAndPlisAreReadBack() {
        List<Integer> lost = List.of(65534, 65535, 0, 3, 40);
        byte[] nack = RtcpWriter.nack(0xCAFE, "estuary", List.of(), 0xBEEF, lost);
        assertEquals(List.of(new PublisherRtcp.Nack(0xBEEF, lost)), PublisherRtcp.requests(nack, nack.length));
        byte[] pli = RtcpWriter.pli(0xCAFE, "estuary", List.of(), 0xBEEF);
        assertEquals(List.of(new PublisherRtcp.KeyframeRequest(0xBEEF, false)), PublisherRtcp.requests(pli,
                pli.length));
        byte[] fir = RtcpWriter.fir(0xCAFE, "estuary", List.of(), 0xBEEF, 7);
        assertEquals(List.of(new PublisherRtcp.KeyframeRequest(0xBEEF, true)), PublisherRtcp.requests(fir,
                fir.length));
        byte[] rr = RtcpWriter.receiverReport(0xCAFE, "estuary", List.of());
        assertEquals(List.of(), PublisherRtcp.requests(rr, rr.length));
    }

    @Test
    void aLengthPastTheDatagramIsRefused() {
        byte[] pli = RtcpWriter.pli(0xCAFE, "estuary", List.of(), 0xBEEF);
        assertThrows(IllegalArgumentException.class, () -> PublisherRtcp.requests(pli, pli.length - 4));
        byte[] version1 = pli.clone();
        version1[0] = 0x41;
        assertThrows(IllegalArgumentException.class, () -> PublisherRtcp.requests(version1, version1.length));
    }
}
