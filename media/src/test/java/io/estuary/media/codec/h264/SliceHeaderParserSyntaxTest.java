package io.estuary.media.codec.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Slice header syntax that x264 does not write, built by hand ({@link SyntheticH264}); where ffmpeg is installed
 * its trace_headers reading of the same bytes is the independent check that the hand-built headers are what
 * 7.3.3 says.
 */
class SliceHeaderParserSyntaxTest {
    @TempDir
    Path dir;

    static Stream<Named<Consumer<SyntheticH264>>> cases() {
        return Stream.of(
                named("IDR I slice", s -> {
                    s.idr = true;
                    s.sliceType = 7;
                }),
                named("P slice, CABAC, deblocking disabled: no offsets", s -> {
                    s.cabac = true;
                    s.disableDeblockingFilterIdc = 1;
                }),
                named("non-reference B slice: no dec_ref_pic_marking", s -> {
                    s.sliceType = 6;
                    s.nalRefIdc = 0;
                    s.numRefIdxOverride = new int[] {1, 2};
                }),
                named("picture order count type 1 with both deltas", s -> {
                    s.pocType = 1;
                    s.bottomFieldPicOrderInFramePresent = true;
                }),
                named("picture order count type 1, deltas always zero", s -> {
                    s.pocType = 1;
                    s.deltaPicOrderAlwaysZero = true;
                    s.bottomFieldPicOrderInFramePresent = true;
                }),
                named("picture order count type 2", s -> s.pocType = 2),
                named("bottom field picture: no delta_pic_order_cnt_bottom", s -> {
                    s.frameMbsOnly = false;
                    s.fieldPic = true;
                    s.bottomField = true;
                    s.bottomFieldPicOrderInFramePresent = true;
                }),
                named("frame in a field-capable stream, delta_pic_order_cnt_bottom", s -> {
                    s.frameMbsOnly = false;
                    s.bottomFieldPicOrderInFramePresent = true;
                }),
                named("separate colour planes: colour_plane_id, no chroma weights", s -> {
                    s.profileIdc = 244;
                    s.chromaFormatIdc = 3;
                    s.separateColourPlane = true;
                    s.weightedPred = true;
                }),
                named("4:4:4 weights with chroma", s -> {
                    s.profileIdc = 244;
                    s.chromaFormatIdc = 3;
                    s.weightedPred = true;
                    s.numRefIdxOverride = new int[] {2};
                }),
                named("monochrome weights", s -> {
                    s.chromaFormatIdc = 0;
                    s.weightedPred = true;
                }),
                named("explicit bi-prediction weights of both lists", s -> {
                    s.sliceType = 1;
                    s.weightedBipredIdc = 1;
                    s.numRefIdxOverride = new int[] {2, 1};
                }),
                named("implicit bi-prediction: no weights", s -> {
                    s.sliceType = 1;
                    s.weightedBipredIdc = 2;
                }),
                named("redundant_pic_cnt", s -> s.redundantPicCntPresent = true),
                named("SP slice", s -> {
                    s.profileIdc = 88;
                    s.sliceType = 3;
                }),
                named("SI slice", s -> {
                    s.profileIdc = 88;
                    s.sliceType = 9;
                    s.cabac = true;
                }),
                named("reference list modifications of both lists, long-term too", s -> {
                    s.sliceType = 6;
                    s.numRefIdxOverride = new int[] {2, 1};
                    // Operands 3: one left unread would be taken for the closing 3.
                    s.modificationsL0 = new int[][] {{0, 3}, {1, 3}, {2, 3}};
                    s.modificationsL1 = new int[][] {{2, 3}, {0, 3}};
                }),
                named("every memory management control operation", s -> {
                    // Each operand 0 (ue "1"): an operand left unread would be taken for the closing 0.
                    s.mmcos = new int[][] {{1, 0}, {2, 0}, {3, 0, 0}, {6, 0}, {4, 0}, {5}};
                }),
                named("slice groups, interleaved map", s -> s.sliceGroups(2, 0)),
                named("slice groups, foreground map", s -> s.sliceGroups(3, 2)),
                named("slice groups, explicit map", s -> s.sliceGroups(4, 6)),
                named("slice groups, box-out: slice_group_change_cycle", s -> {
                    s.sliceGroups(1, 3);
                    s.sliceGroupChangeRateMinus1 = 18; // Ceil(Log2(300 / 19 + 1)) = 5, one more than for 300 \ 19
                    s.sliceGroupChangeCycle = 16;
                }),
                named("slice groups, wipe, change rate 1 (9 bits)", s -> {
                    s.sliceGroups(1, 5);
                    s.sliceGroupChangeCycle = 300;
                }),
                named("emulation prevention inside the header", s -> s.zerosNeedingEmulationPrevention()),
                named("32 weighted references: a header longer than the first look", s -> {
                    s.frameMbsOnly = false;
                    s.fieldPic = true;
                    s.weightedPred = true;
                    s.numRefIdxOverride = new int[] {31};
                    s.weightValue = 127;
                }));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void headerEndsWhereItWasWritten(Consumer<SyntheticH264> setUp) throws Exception {
        SyntheticH264 s = new SyntheticH264();
        setUp.accept(s);
        byte[] slice = s.slice();
        SliceHeaderParser parser = SliceHeaderParser.of(List.of(s.sps()), List.of(s.pps()));

        int bits = s.headerEndBits();
        assertEquals(bits, parser.headerBits(NalUnits.unescapeRbsp(slice, 0, slice.length)));
        int bytes = NalUnits.escapedLength(slice, 0, slice.length, (bits + 7) / 8);
        assertEquals(bytes, parser.headerBytes(slice, 0, slice.length));
        assertEquals(bytes, parser.headerBytes(slice, 0, bytes));
        assertEquals(-1, parser.headerBytes(slice, 0, bytes - 1));

        if (Ffmpeg.available()) {
            // ffmpeg decodes the start of its input to learn the picture size before it copies anything; its
            // decoder lacks slice groups and separate colour planes, so a plain IDR picture comes first.
            List<byte[]> nals = new ArrayList<>(plainIdrPicture().nals());
            nals.addAll(s.nals());
            Path file = Files.write(dir.resolve("synthetic.h264"), AnnexB.join(nals));
            List<Integer> ends = Ffmpeg.sliceHeaderEnds(file);
            assertEquals(2, ends.size(), "slices ffmpeg read: " + ends);
            assertEquals(bits, ends.get(1), "ffmpeg trace_headers");
        }
        assertTrue(bits > 8);
    }

    private static SyntheticH264 plainIdrPicture() {
        SyntheticH264 s = new SyntheticH264();
        s.idr = true;
        s.sliceType = 7;
        return s;
    }

    private static Named<Consumer<SyntheticH264>> named(String name, Consumer<SyntheticH264> setUp) {
        return Named.of(name, setUp);
    }
}
