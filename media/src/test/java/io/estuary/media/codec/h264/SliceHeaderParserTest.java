package io.estuary.media.codec.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SliceHeaderParserTest {
    private static final HexFormat HEX = HexFormat.of();

    // Parameter sets of `ffmpeg -f lavfi -i testsrc2=size=320x240:rate=25 -c:v libx264 -preset medium -bf 3
    // -weightp 2`: High profile, CABAC, POC type 0 with 6-bit LSB, 4-bit frame_num, 3 default L0 references,
    // weighted P prediction, implicit B weights.
    private static final byte[] SPS = HEX.parseHex("6764000dacd94141fb011000000300100000030320f1429960");
    private static final byte[] PPS = HEX.parseHex("68ebe3cb22c0");
    // The same with `-flags +ildct+ilme -x264-params interlaced=1` (MBAFF: field_pic_flag and
    // delta_pic_order_cnt_bottom present).
    private static final byte[] SPS_MBAFF = HEX.parseHex("67640015acd941410fcb808800000300080000030190f8a14cb0");
    private static final byte[] PPS_MBAFF = HEX.parseHex("68fba3cb22c0");

    private static final SliceHeaderParser PARSER = SliceHeaderParser.of(List.of(SPS), List.of(PPS));
    private static final SliceHeaderParser MBAFF = SliceHeaderParser.of(List.of(SPS_MBAFF), List.of(PPS_MBAFF));

    /**
     * The first 24 bytes of slices of those two streams, with where ffmpeg's trace_headers says the slice header
     * ends (in bits from the NAL header) and so how many bytes stay in the clear.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            IDR I,                   false, 658884009fd9674d6278ad3ceb112683accec0873b033653, 38,  5
            P,                       false, 419a246c49ffbaf1485ccf099bab67484b629c37f017afa7, 42,  6
            reference B,             false, 419e427884bfef33586ae7ca1ea3f49203c5ee24eebfe183, 45,  6
            non-reference B,         false, 019e617442dff021c423df3f0a0d1e95ddda5a0f777f25c3, 46,  6
            P with pred_weight_table, false, 419a6849a84168994c093fb2bdc6114f7c285e514fa0953d, 85, 11
            MBAFF IDR I,             true,  6588820b17cc576d7dda781513696a55bdaef8c8e59abd54, 40,  5
            MBAFF P,                 true,  419a21de57aeef7c705881b40af82a234022c43e622f9cba, 40,  5
            MBAFF B,                 true,  019e615ea429ffdf33f68492c37a409aed4d398d3bfed8a7, 50,  7
            MBAFF P with MMCO,       true,  419aa45b4b64a264ff88c8dd4b3aaea0b7f2ef853068d12b, 67,  9
            """)
    void goldenX264Slices(String name, boolean mbaff, String hex, int bits, int bytes) {
        SliceHeaderParser parser = mbaff ? MBAFF : PARSER;
        byte[] slice = HEX.parseHex(hex);
        assertEquals(bits, parser.headerBits(slice)); // no emulation prevention in these
        assertEquals(bytes, parser.headerBytes(slice, 0, slice.length));
    }

    @Test
    void emulationPreventionBytesInTheHeaderCount() {
        SyntheticH264 s = new SyntheticH264().zerosNeedingEmulationPrevention();
        byte[] slice = s.slice();
        // 21 9a | 00 00 03 00 02 ...: first_mb_in_slice, slice_type, pic_parameter_set_id, then 16 zero bits of
        // frame_num and 15 of pic_order_cnt_lsb need an emulation prevention byte.
        assertEquals("219a0000030002", HEX.formatHex(slice, 0, 7));
        SliceHeaderParser parser = SliceHeaderParser.of(List.of(s.sps()), List.of(s.pps()));
        assertEquals(66, s.headerEndBits());
        assertEquals(66, parser.headerBits(NalUnits.unescapeRbsp(slice, 0, slice.length)));
        assertEquals(10, parser.headerBytes(slice, 0, slice.length)); // 9 RBSP bytes, 1 emulation prevention
    }

    @Test
    void sliceGroupChangeCycleWidthIsOfTheExactQuotient() {
        assertEquals(5, changeCycleBits(20, 15, 18)); // 300 / 19 = 15.8: 16.8 needs 5 bits
        assertEquals(4, changeCycleBits(20, 15, 19)); // 300 / 20 = 15: 16 needs 4
        assertEquals(9, changeCycleBits(20, 15, 0));
        assertEquals(9, changeCycleBits(16, 16, 0)); // 257
        assertEquals(8, changeCycleBits(15, 17, 0)); // 256
        assertEquals(1, changeCycleBits(1, 1, 0));
    }

    private static int changeCycleBits(int widthMbs, int heightMapUnits, int rateMinus1) {
        SliceSps sps = new SliceSps(0, 1, false, 4, 0, 4, false, widthMbs, heightMapUnits, true);
        PpsInfo pps = new PpsInfo(0, 0, false, false, 1, 4, rateMinus1, 0, 0, false, 0, true, false);
        return SliceHeaderParser.sliceGroupChangeCycleBits(sps, pps);
    }

    @Test
    void otherNalUnitsAndUnknownParameterSetsAreMinusOne() {
        byte[] p = HEX.parseHex("419a246c49ffbaf1485ccf099bab67484b629c37f017afa7");
        for (int type : new int[] {0, 2, 3, 4, 6, 7, 8, 9, 14, 20, 21}) {
            byte[] other = p.clone();
            other[0] = (byte) (0x40 | type);
            assertEquals(-1, PARSER.headerBytes(other, 0, other.length), "nal_unit_type " + type);
        }
        byte[] forbiddenBit = p.clone();
        forbiddenBit[0] |= (byte) 0x80;
        assertEquals(-1, PARSER.headerBytes(forbiddenBit, 0, p.length));
        SliceHeaderParser noParameterSets = SliceHeaderParser.of(List.of(), List.of());
        assertEquals(-1, noParameterSets.headerBytes(p, 0, p.length));
        SliceHeaderParser ppsWithoutSps = SliceHeaderParser.of(List.of(), List.of(PPS));
        assertEquals(-1, ppsWithoutSps.headerBytes(p, 0, p.length));
        byte[] pps1 = HEX.parseHex("424a246c49"); // pic_parameter_set_id 1 ("010"), only 0 is known
        assertEquals(-1, PARSER.headerBytes(pps1, 0, pps1.length));
        assertEquals(-1, PARSER.headerBytes(p, 0, 1));
        assertEquals(-1, PARSER.headerBytes(p, 0, 0));
    }

    @Test
    void aRangeOutsideTheBufferIsTheCallersBug() {
        byte[] p = new byte[8];
        assertThrows(IndexOutOfBoundsException.class, () -> PARSER.headerBytes(p, 4, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> PARSER.headerBytes(p, -1, 2));
    }

    @Test
    void malformedParameterSetsAreRefusedWhenTheParserIsMade() {
        assertThrows(IllegalArgumentException.class, () -> SliceHeaderParser.of(List.of(PPS), List.of()));
        assertThrows(IllegalArgumentException.class, () -> SliceHeaderParser.of(List.of(), List.of(SPS)));
        byte[] truncatedSps = Arrays.copyOf(SPS, 6);
        assertThrows(IllegalArgumentException.class, () -> SliceHeaderParser.of(List.of(truncatedSps), List.of()));
    }

    @Test
    void everyTruncationOfARealSliceIsMinusOneUntilTheHeaderIsComplete() {
        byte[] weighted = HEX.parseHex("419a6849a84168994c093fb2bdc6114f7c285e514fa0953d");
        for (int length = 0; length < 11; length++) {
            assertEquals(-1, PARSER.headerBytes(weighted, 0, length), "length " + length);
        }
        assertEquals(11, PARSER.headerBytes(weighted, 0, 11));
    }

    /** Hostile input: random bytes behind every slice NAL header, and bit flips of real slices. */
    @Test
    void randomAndCorruptedSlicesNeverThrowNorSpin() {
        byte[][] real = {
            HEX.parseHex("658884009fd9674d6278ad3ceb112683accec0873b033653"),
            HEX.parseHex("419a6849a84168994c093fb2bdc6114f7c285e514fa0953d"),
            HEX.parseHex("019e617442dff021c423df3f0a0d1e95ddda5a0f777f25c3"),
        };
        Random random = new Random(264);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            int found = 0;
            for (int i = 0; i < 10_000; i++) {
                byte[] buf;
                if (i % 2 == 0) {
                    buf = new byte[1 + random.nextInt(600)];
                    random.nextBytes(buf);
                    buf[0] = (byte) (random.nextInt(4) << 5 | (random.nextBoolean() ? 1 : 5));
                } else {
                    buf = real[i % 3].clone();
                    buf[1 + random.nextInt(buf.length - 1)] ^= (byte) (1 << random.nextInt(8));
                }
                int offset = random.nextInt(buf.length);
                int bytes = (i & 4) == 0 ? PARSER.headerBytes(buf, 0, buf.length)
                        : PARSER.headerBytes(buf, offset, buf.length - offset);
                assertTrue(bytes == -1 || bytes >= 2 && bytes <= buf.length, "result " + bytes);
                found += bytes > 0 ? 1 : 0;
            }
            assertTrue(found > 100, "some corrupted slices still parse: " + found);
        });
    }
}
