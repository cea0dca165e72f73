package io.estuary.media.codec.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real encoder output: libx264 streams in the settings that shape the slice header, each slice checked against
 * ffmpeg's own parse of the slice header (trace_headers) and, for CABAC, against the alignment bits before
 * slice_data.
 */
class SliceHeaderParserX264Test {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            cabac-b-frames-weightp | -preset medium -bf 3 -weightp 2
            cavlc-baseline         | -profile:v baseline
            cavlc-high-b-frames    | -coder 0 -bf 3 -weightp 2 -refs 4
            interlaced-mbaff       | -flags +ildct+ilme -bf 2 -x264-params interlaced=1
            four-slices            | -bf 2 -x264-params slices=4
            b-pyramid-weightb      | -bf 3 -x264-params b-pyramid=strict:ref=5:weightb=1
            monochrome-weightp     | -pix_fmt gray -bf 2 -weightp 2
            yuv444-weightp         | -pix_fmt yuv444p -bf 3 -weightp 2
            """)
    void headerEndsWhereFfmpegSaysAndBeforeTheCabacAlignment(String name, String options) throws Exception {
        assumeTrue(Ffmpeg.available(), "needs " + Ffmpeg.BINARY);
        byte[] stream = Ffmpeg.x264(dir, name, options.split(" "));
        List<byte[]> nals = AnnexB.split(stream);
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        List<byte[]> slices = new ArrayList<>();
        for (byte[] nal : nals) {
            switch (NalUnits.type(nal[0])) {
                case NalUnits.TYPE_SPS -> sps.add(nal);
                case NalUnits.TYPE_PPS -> pps.add(nal);
                case NalUnits.TYPE_NON_IDR, NalUnits.TYPE_IDR -> slices.add(nal);
                default -> {
                }
            }
        }
        SliceHeaderParser parser = SliceHeaderParser.of(sps, pps);
        boolean cabac = PpsInfo.parse(pps.get(0)).entropyCodingModeFlag();

        List<Integer> ours = new ArrayList<>();
        for (byte[] slice : slices) {
            byte[] rbsp = NalUnits.unescapeRbsp(slice, 0, slice.length);
            int bits = parser.headerBits(rbsp);
            ours.add(bits);
            assertTrue(bits > 8, name + ": no header end found");
            int bytes = parser.headerBytes(slice, 0, slice.length);
            assertEquals(NalUnits.escapedLength(slice, 0, slice.length, (bits + 7) / 8), bytes);
            if (cabac) {
                assertAlignmentOnes(rbsp, bits, name);
            }
            assertTruncationIsDetected(parser, slice, bytes);
        }
        Path file = Files.write(dir.resolve(name + "-again.h264"), stream);
        assertEquals(Ffmpeg.sliceHeaderEnds(file), ours, name + ": header end bits against ffmpeg trace_headers");
        assertTrue(slices.size() >= 25, name + ": " + slices.size() + " slices");
    }

    /** 7.3.4: slice_data() of a CABAC slice starts with cabac_alignment_one_bit up to the byte boundary. */
    private static void assertAlignmentOnes(byte[] rbsp, int bits, String name) {
        for (int bit = bits; bit % 8 != 0; bit++) {
            assertEquals(1, (rbsp[bit / 8] >> (7 - bit % 8)) & 1, name + ": alignment bit " + bit);
        }
    }

    /** The slice as the packager sees it, inside a larger sample buffer; one byte short of the header is -1. */
    private static void assertTruncationIsDetected(SliceHeaderParser parser, byte[] slice, int bytes) {
        byte[] sample = new byte[slice.length + 7];
        System.arraycopy(slice, 0, sample, 4, slice.length);
        assertEquals(bytes, parser.headerBytes(sample, 4, slice.length));
        assertEquals(bytes, parser.headerBytes(sample, 4, bytes));
        assertEquals(-1, parser.headerBytes(sample, 4, bytes - 1));
    }
}
