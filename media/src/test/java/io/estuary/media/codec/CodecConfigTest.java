package io.estuary.media.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.codec.h264.SpsInfo;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecConfigTest {
    // SPS and PPS of `ffmpeg -f lavfi -i testsrc2=size=1280x720:rate=30 -c:v libx264 -profile:v high`:
    // High profile (100), level 3.1, 80x45 macroblocks cropped by 8 lines to 720, VUI timing 60/2 = 30 fps.
    private static final byte[] SPS_720P =
            HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000303c0f1831960");
    private static final byte[] PPS_720P = HexFormat.of().parseHex("68ebe3cb22c0");

    @Test
    void spsOfA720pX264StreamGivesSizeProfileLevelAndFrameRate() {
        SpsInfo sps = SpsInfo.parse(SPS_720P);
        assertEquals(100, sps.profileIdc());
        assertEquals(31, sps.levelIdc());
        assertEquals(1280, sps.width());
        assertEquals(720, sps.height());
        assertEquals(30.0, sps.frameRate(), 1e-9);
    }

    @Test
    void avcCRoundTripsAndNamesTheCodec() {
        byte[] avcC = AvcDecoderConfigurationRecord.build(List.of(SPS_720P), List.of(PPS_720P));
        // configurationVersion 1, profile 0x64, compat 0x00, level 0x1f, 4-byte lengths, 1 SPS (len 26), 1 PPS.
        assertEquals("0164001fffe1001a", HexFormat.of().formatHex(avcC, 0, 8));
        AvcConfig config = AvcConfig.fromAvcC(avcC);
        assertEquals("avc1.64001f", config.codecString());
        assertEquals(4, config.nalLengthSize());
        assertArrayEquals(PPS_720P, config.pps().get(0));
        assertEquals(1280, config.width());
    }

    @Test
    void truncatedOrHostileParameterSetsAreRejected() {
        byte[] avcC = AvcDecoderConfigurationRecord.build(List.of(SPS_720P), List.of(PPS_720P));
        for (int cut = 0; cut < avcC.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(avcC, cut);
            assertThrows(IllegalArgumentException.class, () -> AvcConfig.fromAvcC(truncated), "cut at " + cut);
        }
        byte[] lyingLength = avcC.clone();
        lyingLength[7] = (byte) 0xff; // SPS length 0x00ff > what is left
        assertThrows(IllegalArgumentException.class, () -> AvcConfig.fromAvcC(lyingLength));
        // After profile/constraints/level, all-zero bits are an Exp-Golomb code longer than 32 bits.
        byte[] zeros = new byte[64];
        zeros[0] = 0x67;
        zeros[1] = 100;
        assertThrows(IllegalArgumentException.class, () -> SpsInfo.parse(zeros));
    }

    @Test
    void audioSpecificConfigOfAacLc() {
        byte[] asc = AudioSpecificConfig.aacLc(48000, 2);
        assertEquals("1190", HexFormat.of().formatHex(asc));
        AacConfig config = AacConfig.fromAudioSpecificConfig(asc);
        assertEquals("mp4a.40.2", config.codecString());
        assertEquals(48000, config.sampleRate());
        assertEquals(2, config.channels());
        assertEquals(1024, config.samplesPerFrame());
        assertEquals(44100, AudioSpecificConfig.parse(HexFormat.of().parseHex("1210")).sampleRate());
        // HE-AAC with explicit SBR signalling: object type 5, core rate 24 kHz, output 48 kHz, core AAC-LC.
        AudioSpecificConfig he = AudioSpecificConfig.parse(HexFormat.of().parseHex("2b118800"));
        assertEquals(2, he.objectType());
        assertEquals(48000, he.sampleRate());
        assertEquals(2048, he.samplesPerFrame(), "an SBR frame is 2048 samples at the output rate");
        assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.parse(new byte[] {0x17, (byte) 0x90}));
        assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.parse(new byte[] {0x12}));
    }

    @Test
    void expGolombCodes() {
        // bits: 1 | 010 | 011 | 00100 | 00101 -> ue 0, 1, 2, 3, 4 ; then se from 011 -> -1
        BitReader r = new BitReader(new byte[] {(byte) 0b1010_0110, (byte) 0b0100_0010, (byte) 0b1011_0000});
        assertEquals(0, r.readUe());
        assertEquals(1, r.readUe());
        assertEquals(2, r.readUe());
        assertEquals(3, r.readUe());
        assertEquals(4, r.readUe());
        assertEquals(-1, r.readSe());
        assertThrows(IllegalArgumentException.class, () -> new BitReader(new byte[4]).readUe());
    }
}
