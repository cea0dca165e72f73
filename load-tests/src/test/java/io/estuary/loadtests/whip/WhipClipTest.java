package io.estuary.loadtests.whip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.estuary.media.codec.h264.NalUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The clip as ffmpeg encodes it and libavformat reads it: the shape the brief asks for (30 fps, a keyframe every
 * 60 pictures, 20 ms Opus packets, 10 s), and the AVCC splitting on golden bytes.
 */
class WhipClipTest {

    @Test
    void theEncodedClipHasTheExpectedShape() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg encodes the clip");
        WhipClip clip = WhipClip.load(Path.of("target"));
        assertEquals(10_000_000, clip.loopMicros());
        assertEquals(300, clip.video().size());
        assertEquals(NalUnits.TYPE_SPS, NalUnits.type(clip.sps()[0]));
        assertEquals(66, clip.sps()[1], "profile_idc: baseline");
        assertEquals(NalUnits.TYPE_PPS, NalUnits.type(clip.pps()[0]));
        for (int i = 0; i < clip.video().size(); i++) {
            WhipClip.Picture p = clip.video().get(i);
            assertEquals(i * 3000L, p.timestamp(), "picture " + i);
            assertEquals(i % 60 == 0, p.keyframe(), "picture " + i);
            boolean idr = p.nalUnits().stream().anyMatch(n -> NalUnits.type(n[0]) == NalUnits.TYPE_IDR);
            assertEquals(p.keyframe(), idr, "picture " + i);
        }
        // 10 s of 20 ms packets, give or take the encoder's pre-skip at the start.
        assertTrue(clip.audio().size() >= 498 && clip.audio().size() <= 500, "audio packets " + clip.audio().size());
        for (int i = 1; i < clip.audio().size(); i++) {
            assertEquals(960, clip.audio().get(i).timestamp() - clip.audio().get(i - 1).timestamp(), "packet " + i);
        }
        assertTrue(clip.audio().get(clip.audio().size() - 1).timestamp() < 480_000);
    }

    @Test
    void avccAccessUnitsAreSplitAndParameterSetsLeftOut() throws Exception {
        byte[] avcc = {
            0, 0, 0, 2, 0x09, (byte) 0xF0,       // AUD
            0, 0, 0, 3, 0x67, 0x42, 0x00,        // SPS
            0, 0, 0, 3, 0x06, 0x05, 0x00,        // SEI
            0, 0, 0, 4, 0x65, 1, 2, 3,           // IDR slice
            0, 0, 0, 2, 0x65, 4,                 // a second slice
        };
        List<byte[]> nals = WhipClip.nalUnits(avcc, 4);
        assertEquals(2, nals.size());
        assertArrayEquals(new byte[] {0x65, 1, 2, 3}, nals.get(0));
        assertArrayEquals(new byte[] {0x65, 4}, nals.get(1));
        assertThrows(IOException.class, () -> WhipClip.nalUnits(new byte[] {0, 0, 0, 9, 0x65, 1}, 4));
        assertThrows(IOException.class, () -> WhipClip.nalUnits(new byte[] {0, 0, 1}, 4));
        assertThrows(IOException.class, () -> WhipClip.nalUnits(new byte[] {0, 0, 0, 0}, 4));
    }
}
