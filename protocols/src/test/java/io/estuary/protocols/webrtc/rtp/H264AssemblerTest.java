package io.estuary.protocols.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.AvcConfig;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class H264AssemblerTest {
    /** A 1280x720 High profile SPS and its PPS, from an x264 stream (the media module's tests use them too). */
    private static final byte[] SPS_720P =
            HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000303c0f1831960");
    private static final byte[] PPS_720P = HexFormat.of().parseHex("68ebe3cb22c0");
    private static final byte[] AUD = {0x09, (byte) 0xf0};
    private static final byte[] IDR_SLICE = {0x65, (byte) 0x88, 0x01};
    private static final byte[] P_SLICE = {0x41, (byte) 0x9a, 0x02};

    @Test
    void capturedStreamBecomesSamplesWithItsConfiguration() throws RtpException {
        List<H264AccessUnit> units = H264DepacketizerTest.depacketizeAll(RtpCapture.load());
        H264Assembler assembler = new H264Assembler();
        assertTrue(assembler.needsKeyframe());
        List<VideoSample> samples = units.stream().map(assembler::assemble).flatMap(Optional::stream).toList();
        assertEquals(60, samples.size());
        assertFalse(assembler.needsKeyframe());

        VideoSample first = samples.get(0);
        assertTrue(first.keyframe());
        AvcConfig config = first.newConfig();
        assertNotNull(config);
        assertEquals(640, config.width());
        assertEquals(360, config.height());
        assertEquals("avc1.42c01e", config.codecString()); // ffmpeg's SDP said profile-level-id=42C01E
        // the SPS and PPS left the sample: what remains is the SEI and the IDR slice, length-prefixed
        assertEquals(List.of(6, 5), nalTypes(first.data()));

        assertTrue(samples.get(30).keyframe());
        assertNull(samples.get(30).newConfig()); // the same SPS and PPS again: no change
        assertFalse(samples.get(1).keyframe());
        assertEquals(List.of(1), nalTypes(samples.get(1).data()));
        assertEquals(units.get(1).rtpTimestamp(), samples.get(1).rtpTimestamp());
    }

    @Test
    void waitsForAnIdrWithKnownParameterSets() {
        H264Assembler assembler = new H264Assembler();
        assertEquals(Optional.empty(), assembler.assemble(unit(false, P_SLICE)));
        assertEquals(Optional.empty(), assembler.assemble(unit(true, IDR_SLICE))); // no SPS/PPS yet
        assertEquals(Optional.empty(), assembler.assemble(unit(false, SPS_720P, PPS_720P, P_SLICE)));
        assertTrue(assembler.needsKeyframe());
        VideoSample sample = assembler.assemble(unit(true, AUD, IDR_SLICE)).orElseThrow();
        assertTrue(sample.keyframe());
        assertEquals(1280, sample.newConfig().width());
        // the AUD is gone: one length-prefixed NAL unit
        assertArrayEquals(HexFormat.of().parseHex("00000003658801"), sample.data());
        assertFalse(assembler.needsKeyframe());
    }

    @Test
    void aConfigurationChangeTakesEffectAtTheNextIdr() throws RtpException {
        List<H264AccessUnit> units = H264DepacketizerTest.depacketizeAll(RtpCapture.load());
        H264Assembler assembler = new H264Assembler();
        AvcConfig first = assembler.assemble(units.get(0)).orElseThrow().newConfig();
        assertEquals(640, first.width());

        // new parameter sets arrive on their own (as in a STAP-A before the IDR): pictures wait for that IDR
        assertEquals(Optional.empty(), assembler.assemble(unit(false, SPS_720P, PPS_720P)));
        assertTrue(assembler.needsKeyframe());
        assertEquals(Optional.empty(), assembler.assemble(unit(false, P_SLICE)));
        VideoSample idr = assembler.assemble(unit(true, IDR_SLICE)).orElseThrow();
        assertEquals(1280, idr.newConfig().width());
        assertEquals(720, idr.newConfig().height());
        VideoSample next = assembler.assemble(unit(false, P_SLICE)).orElseThrow();
        assertNull(next.newConfig());
        assertFalse(next.keyframe());
    }

    @Test
    void anUnparsableSpsIsIgnored() {
        H264Assembler assembler = new H264Assembler();
        byte[] badSps = {0x67, 0x42, 0x00}; // too short to be an SPS
        assertEquals(Optional.empty(), assembler.assemble(unit(true, badSps, PPS_720P, IDR_SLICE)));
        assertTrue(assembler.needsKeyframe());
        assertTrue(assembler.assemble(unit(true, SPS_720P, IDR_SLICE)).orElseThrow().keyframe());
    }

    private static H264AccessUnit unit(boolean idr, byte[]... nals) {
        return new H264AccessUnit(1000, List.of(nals), idr);
    }

    private static List<Integer> nalTypes(byte[] lengthPrefixed) {
        List<Integer> types = new ArrayList<>();
        int pos = 0;
        while (pos < lengthPrefixed.length) {
            int length = (int) RtpPacket.u32(lengthPrefixed, pos);
            types.add(lengthPrefixed[pos + 4] & 0x1f);
            pos += 4 + length;
        }
        assertEquals(lengthPrefixed.length, pos);
        return types;
    }
}
