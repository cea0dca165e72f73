package io.estuary.media.codec.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PpsInfoTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ppsOfAnX264HighProfileStream() {
        // libx264 -preset medium -weightp 2; ffmpeg's trace_headers reads the same values.
        PpsInfo pps = PpsInfo.parse(HEX.parseHex("68ebe3cb22c0"));
        assertEquals(new PpsInfo(0, 0, true, false, 0, 0, 0, 2, 0, true, 2, true, false), pps);
        // interlaced=1: bottom_field_pic_order_in_frame_present_flag.
        PpsInfo mbaff = PpsInfo.parse(HEX.parseHex("68fba3cb22c0"));
        assertEquals(true, mbaff.bottomFieldPicOrderInFramePresentFlag());
    }

    @Test
    void sliceGroupMapsAreWalkedOver() {
        for (int mapType = 0; mapType <= 6; mapType++) {
            SyntheticH264 s = new SyntheticH264().sliceGroups(3, mapType);
            s.ppsId = 17;
            s.spsId = 3;
            s.sliceGroupChangeRateMinus1 = 9;
            s.l0Default = 4;
            s.l1Default = 1;
            s.weightedBipredIdc = 1;
            s.redundantPicCntPresent = true;
            PpsInfo pps = PpsInfo.parse(s.pps());
            int rate = mapType >= 3 && mapType <= 5 ? 9 : 0;
            assertEquals(new PpsInfo(17, 3, false, false, 3, mapType, rate, 4, 1, false, 1, true, true), pps);
        }
    }

    @Test
    void malformedPpsIsRefused() {
        byte[] pps = HEX.parseHex("68ebe3cb22c0");
        for (int cut = 1; cut < 4; cut++) {
            byte[] truncated = Arrays.copyOf(pps, cut);
            assertThrows(IllegalArgumentException.class, () -> PpsInfo.parse(truncated), "cut at " + cut);
        }
        assertThrows(IllegalArgumentException.class, () -> PpsInfo.parse(HEX.parseHex("67ebe3cb22c0")));
        SyntheticH264 s = new SyntheticH264();
        s.numSliceGroupsMinus1 = 8;
        assertThrows(IllegalArgumentException.class, () -> PpsInfo.parse(s.pps()));
        s.numSliceGroupsMinus1 = 0;
        s.l0Default = 32;
        assertThrows(IllegalArgumentException.class, () -> PpsInfo.parse(s.pps()));
        s.l0Default = 0;
        s.weightedBipredIdc = 3;
        assertThrows(IllegalArgumentException.class, () -> PpsInfo.parse(s.pps()));
    }

    @Test
    void spsFieldsOfTheSliceHeader() {
        // libx264 interlaced=1 (MBAFF): 4-bit frame_num, POC type 0 with 6-bit LSB, 20x8 map units of 2 fields.
        SliceSps sps = SliceSps.parse(HEX.parseHex("67640015acd941410fcb808800000300080000030190f8a14cb0"));
        assertEquals(new SliceSps(0, 1, false, 4, 0, 6, false, 20, 8, false), sps);
        assertEquals(1, sps.chromaArrayType());
        assertEquals(160, sps.picSizeInMapUnits());

        SyntheticH264 s = new SyntheticH264(); // with a scaling list to walk over
        s.profileIdc = 244;
        s.spsId = 31;
        s.chromaFormatIdc = 3;
        s.separateColourPlane = true;
        s.log2MaxFrameNum = 16;
        s.pocType = 1;
        s.deltaPicOrderAlwaysZero = true;
        SliceSps planes = SliceSps.parse(s.sps());
        assertEquals(new SliceSps(31, 3, true, 16, 1, 0, true, 20, 15, true), planes);
        assertEquals(0, planes.chromaArrayType());

        s.log2MaxFrameNum = 17;
        assertThrows(IllegalArgumentException.class, () -> SliceSps.parse(s.sps()));
    }
}
