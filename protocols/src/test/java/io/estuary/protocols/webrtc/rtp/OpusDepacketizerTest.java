package io.estuary.protocols.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Durations from the TOC byte, RFC 6716 section 3.1 (config = TOC >> 3, frame count code = TOC & 3). */
class OpusDepacketizerTest {

    private static int samples(int... bytes) throws RtpException {
        byte[] packet = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            packet[i] = (byte) bytes[i];
        }
        return OpusDepacketizer.samplesPerPacket(packet);
    }

    @Test
    void silkFrameSizes() throws RtpException {
        assertEquals(480, samples(0 << 3));   // config 0, SILK NB 10 ms
        assertEquals(960, samples(1 << 3));   // config 1, 20 ms
        assertEquals(1920, samples(2 << 3));  // config 2, 40 ms
        assertEquals(2880, samples(11 << 3)); // config 11, SILK WB 60 ms
    }

    @Test
    void hybridAndCeltFrameSizes() throws RtpException {
        assertEquals(480, samples(12 << 3));  // config 12, hybrid SWB 10 ms
        assertEquals(960, samples(0x78));     // config 15, hybrid FB 20 ms: what browsers send
        assertEquals(120, samples(16 << 3));  // config 16, CELT NB 2.5 ms
        assertEquals(240, samples(29 << 3));  // config 29, CELT FB 5 ms
        assertEquals(960, samples(0xfc));     // config 31, CELT FB 20 ms, stereo flag set
    }

    @Test
    void frameCountCodes() throws RtpException {
        assertEquals(1920, samples(0x79, 0)); // code 1: two frames of equal size
        assertEquals(1920, samples(0x7a, 0)); // code 2: two frames of different sizes
        assertEquals(2880, samples(0x0b, 0x03));       // code 3, M = 3 frames of 20 ms
        assertEquals(2880, samples(0x0b, 0xc3, 0x00)); // VBR and padding flags do not change M
        assertEquals(5760, samples(0x1b, 0x02));       // 2 x 60 ms: exactly the 120 ms limit
        assertEquals(5760, samples(0x83, 48));         // 48 x 2.5 ms
    }

    @Test
    void refusesWhatNoEncoderMakes() {
        assertRefused("empty", new byte[0]);
        assertRefused("without its frame count", new byte[] {0x0b});
        assertRefused("zero frames", new byte[] {0x0b, 0x00});
        assertRefused("exceeds 120 ms", new byte[] {0x1b, 0x03});        // 3 x 60 ms
        assertRefused("exceeds 120 ms", new byte[] {(byte) 0x83, 49});   // 49 x 2.5 ms
    }

    private static void assertRefused(String reason, byte[] packet) {
        RtpException e = assertThrows(RtpException.class, () -> OpusDepacketizer.samplesPerPacket(packet));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
