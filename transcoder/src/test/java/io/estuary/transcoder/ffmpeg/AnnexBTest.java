package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.estuary.media.frame.AvcConfig;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnnexBTest {

    @BeforeAll
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    // 4-byte start code + AUD (type 9), 4-byte SPS (7), 3-byte PPS (8), SEI (6), IDR slice (5) with a
    // trailing_zero_8bits byte, then a second slice after a 3-byte start code.
    static final byte[] ACCESS_UNIT = {
        0, 0, 0, 1, 0x09, (byte) 0xF0,
        0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1E,
        0, 0, 1, 0x68, (byte) 0xEE, 0x3C, (byte) 0x80,
        0, 0, 1, 0x06, 0x05, 0x01, (byte) 0x80,
        0, 0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84, 0x00,
        0, 0, 1, 0x65, 0x00, 0x11
    };

    @Test
    void splitsOnThreeAndFourByteStartCodes() {
        List<byte[]> nals = AnnexB.split(ACCESS_UNIT);
        assertEquals(6, nals.size());
        assertArrayEquals(new byte[] {0x67, 0x64, 0x00, 0x1E}, nals.get(1));
        assertArrayEquals(new byte[] {0x65, (byte) 0x88, (byte) 0x84}, nals.get(4), "trailing zero trimmed");
        assertArrayEquals(new byte[] {0x65, 0x00, 0x11}, nals.get(5));
    }

    @Test
    void keepsOnlySlicesLengthPrefixed() {
        byte[] expected = {
            0, 0, 0, 3, 0x65, (byte) 0x88, (byte) 0x84,
            0, 0, 0, 3, 0x65, 0x00, 0x11
        };
        assertArrayEquals(expected, AnnexB.toAvcc(ACCESS_UNIT));
    }

    @Test
    void configFromExtradataTakesTheParameterSetsOnly() {
        AvcConfig config = VideoEncoder.configFromExtradata(realParameterSets(), "test");
        assertEquals(1, config.sps().size());
        assertEquals(1, config.pps().size());
        assertEquals(1280, config.width());
        assertEquals(720, config.height());
    }

    // An SPS/PPS pair from libx264 (High, 1280x720), with x264's version SEI between them as some builds put it.
    private static byte[] realParameterSets() {
        try (VideoEncoder encoder = VideoEncoder.open(VideoRoundTripTest.settings(1280, 720, 2_000_000))) {
            byte[] avcC = encoder.config().avcC();
            int spsLen = (avcC[6] & 0xFF) << 8 | (avcC[7] & 0xFF);
            int ppsAt = 8 + spsLen + 1;
            int ppsLen = (avcC[ppsAt] & 0xFF) << 8 | (avcC[ppsAt + 1] & 0xFF);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.write(avcC, 8, spsLen);
            out.writeBytes(new byte[] {0, 0, 1, 0x06, 0x05, 0x01, (byte) 0x80});
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.write(avcC, ppsAt + 2, ppsLen);
            return out.toByteArray();
        }
    }
}
