package io.estuary.loadtests.whip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.protocols.webrtc.rtp.H264AccessUnit;
import io.estuary.protocols.webrtc.rtp.H264Depacketizer;
import io.estuary.protocols.webrtc.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6184 payloads checked byte for byte on small NAL units, then a large IDR picture round-tripped through the
 * server's own depacketizer, which must give back the parameter sets and the slice unchanged.
 */
class H264PacketizerTest {
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA};
    private static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    @Test
    void anIdrPictureStartsWithAStapAOfItsParameterSets() {
        byte[] idr = {0x65, (byte) 0x88, (byte) 0x84, 0x00};
        List<byte[]> payloads = H264Packetizer.payloads(List.of(idr), SPS, PPS, 1200);
        assertEquals(2, payloads.size());
        assertArrayEquals(new byte[] {
            0x78,                                    // F=0, NRI=3 (the higher of SPS's and PPS's), type 24 STAP-A
            0x00, 0x05, 0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, // size 5, the SPS
            0x00, 0x04, 0x68, (byte) 0xCE, 0x3C, (byte) 0x80,       // size 4, the PPS
        }, payloads.get(0));
        assertArrayEquals(idr, payloads.get(1), "a NAL unit that fits is sent as it is");
    }

    @Test
    void aNonIdrPictureHasNoParameterSetsAndLargeUnitsAreFragmented() {
        byte[] slice = new byte[150];
        slice[0] = 0x41; // NRI=2, type 1
        for (int i = 1; i < slice.length; i++) {
            slice[i] = (byte) i;
        }
        List<byte[]> payloads = H264Packetizer.payloads(List.of(slice), SPS, PPS, 64);
        // 149 bytes after the header, 62 per fragment: 62 + 62 + 25.
        assertEquals(3, payloads.size());
        assertEquals(0x5C, payloads.get(0)[0] & 0xFF, "FU indicator: NRI=2, type 28");
        assertEquals(0x81, payloads.get(0)[1] & 0xFF, "FU header: S, type 1");
        assertEquals(0x01, payloads.get(1)[1] & 0xFF, "neither start nor end");
        assertEquals(0x41, payloads.get(2)[1] & 0xFF, "E, type 1");
        assertEquals(64, payloads.get(0).length);
        assertEquals(27, payloads.get(2).length);
        assertEquals(1, payloads.get(0)[2], "the NAL header byte itself is not sent");
        assertEquals((byte) 149, payloads.get(2)[26]);
        assertThrows(IllegalArgumentException.class, () -> H264Packetizer.payloads(List.of(slice), SPS, PPS, 63));
    }

    @Test
    void theServersDepacketizerRebuildsTheAccessUnit() throws Exception {
        byte[] idr = new byte[5000];
        idr[0] = 0x65;
        for (int i = 1; i < idr.length; i++) {
            idr[i] = (byte) (i * 31);
        }
        byte[] sei = {0x06, 0x05, 0x01, 0x00};
        List<byte[]> payloads = H264Packetizer.payloads(List.of(sei, idr), SPS, PPS, 1200);
        assertEquals(1 + 1 + 5, payloads.size(), "STAP-A, the SEI, then 4999 bytes in 5 fragments");
        H264Depacketizer depacketizer = new H264Depacketizer();
        List<H264AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            boolean last = i == payloads.size() - 1;
            units.addAll(depacketizer.push(RtpPacket.of(last, 96, 100 + i, 3000, 1234, payloads.get(i)), false));
        }
        assertEquals(1, units.size());
        H264AccessUnit unit = units.get(0);
        assertTrue(unit.idr());
        assertEquals(4, unit.nalUnits().size());
        assertArrayEquals(SPS, unit.nalUnits().get(0));
        assertArrayEquals(PPS, unit.nalUnits().get(1));
        assertArrayEquals(sei, unit.nalUnits().get(2));
        assertArrayEquals(idr, unit.nalUnits().get(3));
    }
}
