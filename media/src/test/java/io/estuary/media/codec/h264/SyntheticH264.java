package io.estuary.media.codec.h264;

import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: an SPS, a PPS and one slice written by hand from the fields below, for the slice header syntax
 * that x264 never writes (flexible macroblock ordering, SP/SI slices, field pictures, picture order count type 1,
 * explicit bi-prediction weights, every memory management operation...). Tests set the fields they need.
 */
final class SyntheticH264 {
    // seq_parameter_set_data() (7.3.2.1.1)
    int profileIdc = 100;
    int spsId;
    int chromaFormatIdc = 1;
    boolean separateColourPlane;
    int log2MaxFrameNum = 4;
    int pocType;
    int log2MaxPocLsb = 4;
    boolean deltaPicOrderAlwaysZero;
    boolean frameMbsOnly = true;
    int widthMbs = 20;
    int heightMapUnits = 15;

    // pic_parameter_set_rbsp() (7.3.2.2)
    int ppsId;
    boolean cabac;
    boolean bottomFieldPicOrderInFramePresent;
    int numSliceGroupsMinus1;
    int sliceGroupMapType;
    int sliceGroupChangeRateMinus1;
    int l0Default;
    int l1Default;
    boolean weightedPred;
    int weightedBipredIdc;
    boolean deblockingFilterControlPresent = true;
    boolean redundantPicCntPresent;

    // slice_header() (7.3.3)
    int nalRefIdc = 1;
    boolean idr;
    int sliceType = 5; // P, all slices of the picture
    int firstMbInSlice;
    long frameNum = 1;
    boolean fieldPic;
    boolean bottomField;
    long pocLsb = 2;
    /** l0, then l1 if B, active minus 1; null: no override. */
    int[] numRefIdxOverride;
    /** (modification_of_pic_nums_idc, value) pairs, without the closing 3; null: no modification. */
    int[][] modificationsL0;
    int[][] modificationsL1;
    /** (memory_management_control_operation, values...), without the closing 0; null: sliding window. */
    int[][] mmcos;
    int disableDeblockingFilterIdc;
    long sliceGroupChangeCycle;
    int weightValue = 3;

    private int headerEndBits = -1;

    /** Flexible macroblock ordering (Baseline profile): this many slice groups minus 1, mapped this way. */
    SyntheticH264 sliceGroups(int countMinus1, int mapType) {
        profileIdc = 66;
        numSliceGroupsMinus1 = countMinus1;
        sliceGroupMapType = mapType;
        return this;
    }

    /** 16-bit frame_num 0 then pic_order_cnt_lsb 1: 31 zero bits, which need an emulation prevention byte. */
    SyntheticH264 zerosNeedingEmulationPrevention() {
        log2MaxFrameNum = 16;
        log2MaxPocLsb = 16;
        frameNum = 0;
        pocLsb = 1;
        return this;
    }

    byte[] sps() {
        BitWriter w = new BitWriter().u(8, 0x67).u(8, profileIdc).u(8, 0).u(8, 40).ue(spsId);
        if (profileIdc == 100 || profileIdc == 244) {
            w.ue(chromaFormatIdc);
            if (chromaFormatIdc == 3) {
                w.flag(separateColourPlane);
            }
            w.ue(0).ue(0).flag(false); // bit depths 8, qpprime_y_zero_transform_bypass_flag
            w.flag(true); // seq_scaling_matrix_present_flag: one list sent (walked over), the others not
            w.flag(true);
            for (int j = 0; j < 16; j++) {
                w.se(j == 0 ? 8 : 1);
            }
            for (int i = 1; i < (chromaFormatIdc != 3 ? 8 : 12); i++) {
                w.flag(false);
            }
        }
        w.ue(log2MaxFrameNum - 4).ue(pocType);
        if (pocType == 0) {
            w.ue(log2MaxPocLsb - 4);
        } else if (pocType == 1) {
            w.flag(deltaPicOrderAlwaysZero).se(-1).se(1).ue(2).se(2).se(-2); // two offset_for_ref_frame
        }
        w.ue(4).flag(false).ue(widthMbs - 1).ue(heightMapUnits - 1).flag(frameMbsOnly);
        if (!frameMbsOnly) {
            w.flag(false); // mb_adaptive_frame_field_flag
        }
        w.flag(true).flag(false).flag(false); // direct_8x8_inference, no cropping, no VUI
        return BitWriter.escape(w.trailingBits());
    }

    byte[] pps() {
        BitWriter w = new BitWriter().u(8, 0x68).ue(ppsId).ue(spsId).flag(cabac).flag(bottomFieldPicOrderInFramePresent)
                .ue(numSliceGroupsMinus1);
        if (numSliceGroupsMinus1 > 0) {
            w.ue(sliceGroupMapType);
            switch (sliceGroupMapType) {
                case 0 -> {
                    for (int i = 0; i <= numSliceGroupsMinus1; i++) {
                        w.ue(10 + i); // run_length_minus1
                    }
                }
                case 2 -> {
                    for (int i = 0; i < numSliceGroupsMinus1; i++) {
                        w.ue(i).ue(widthMbs + 2 + i); // top_left, bottom_right
                    }
                }
                case 3, 4, 5 -> w.flag(true).ue(sliceGroupChangeRateMinus1);
                case 6 -> {
                    int mapUnits = widthMbs * heightMapUnits;
                    int bits = 32 - Integer.numberOfLeadingZeros(numSliceGroupsMinus1);
                    w.ue(mapUnits - 1);
                    for (int i = 0; i < mapUnits; i++) {
                        w.u(bits, i % (numSliceGroupsMinus1 + 1));
                    }
                }
                default -> {
                }
            }
        }
        w.ue(l0Default).ue(l1Default).flag(weightedPred).u(2, weightedBipredIdc).se(-2).se(0).se(1)
                .flag(deblockingFilterControlPresent).flag(false).flag(redundantPicCntPresent);
        w.flag(true).flag(false).se(0); // transform_8x8_mode_flag, no pic scaling matrix, second_chroma_qp
        return BitWriter.escape(w.trailingBits());
    }

    /** The slice NAL unit as stored; {@link #headerEndBits()} then tells where its slice header ended. */
    byte[] slice() {
        int type = sliceType % 5;
        boolean p = type == 0;
        boolean b = type == 1;
        boolean i = type == 2;
        boolean sp = type == 3;
        boolean si = type == 4;
        BitWriter w = new BitWriter().u(8, (nalRefIdc << 5) | (idr ? 5 : 1));
        w.ue(firstMbInSlice).ue(sliceType).ue(ppsId);
        if (separateColourPlane) {
            w.u(2, 2); // colour_plane_id
        }
        w.u(log2MaxFrameNum, idr ? 0 : frameNum);
        if (!frameMbsOnly) {
            w.flag(fieldPic);
            if (fieldPic) {
                w.flag(bottomField);
            }
        }
        if (idr) {
            w.ue(7); // idr_pic_id (an IDR picture's frame_num is 0; its POC LSB too, here)
        }
        boolean bottomDelta = bottomFieldPicOrderInFramePresent && !fieldPic;
        if (pocType == 0) {
            w.u(log2MaxPocLsb, idr ? 0 : pocLsb);
            if (bottomDelta) {
                w.se(-1);
            }
        }
        if (pocType == 1 && !deltaPicOrderAlwaysZero) {
            w.se(5);
            if (bottomDelta) {
                w.se(-5);
            }
        }
        if (redundantPicCntPresent) {
            w.ue(1);
        }
        if (b) {
            w.flag(true); // direct_spatial_mv_pred_flag
        }
        int l0 = l0Default;
        int l1 = l1Default;
        if (p || sp || b) {
            w.flag(numRefIdxOverride != null);
            if (numRefIdxOverride != null) {
                l0 = numRefIdxOverride[0];
                w.ue(l0);
                if (b) {
                    l1 = numRefIdxOverride[1];
                    w.ue(l1);
                }
            }
        }
        if (!i && !si) {
            modifications(w, modificationsL0);
        }
        if (b) {
            modifications(w, modificationsL1);
        }
        if ((weightedPred && (p || sp)) || (weightedBipredIdc == 1 && b)) {
            boolean chroma = !separateColourPlane && chromaFormatIdc != 0;
            w.ue(5);
            if (chroma) {
                w.ue(4);
            }
            for (int list = 0; list < (b ? 2 : 1); list++) {
                for (int ref = 0; ref <= (list == 0 ? l0 : l1); ref++) {
                    w.flag(true).se(weightValue).se(-weightValue);
                    if (chroma) {
                        w.flag(true).se(weightValue).se(1).se(-weightValue).se(-1);
                    }
                }
            }
        }
        if (nalRefIdc != 0) {
            if (idr) {
                w.flag(false).flag(true);
            } else {
                w.flag(mmcos != null);
                if (mmcos != null) {
                    for (int[] op : mmcos) {
                        for (int v : op) {
                            w.ue(v);
                        }
                    }
                    w.ue(0);
                }
            }
        }
        if (cabac && !i && !si) {
            w.ue(2); // cabac_init_idc
        }
        w.se(-3); // slice_qp_delta
        if (sp || si) {
            if (sp) {
                w.flag(true);
            }
            w.se(4); // slice_qs_delta
        }
        if (deblockingFilterControlPresent) {
            w.ue(disableDeblockingFilterIdc);
            if (disableDeblockingFilterIdc != 1) {
                w.se(-2).se(2);
            }
        }
        if (numSliceGroupsMinus1 > 0 && sliceGroupMapType >= 3 && sliceGroupMapType <= 5) {
            w.u(changeCycleBits(), sliceGroupChangeCycle);
        }
        headerEndBits = w.bitCount();
        while (w.bitCount() % 8 != 0) {
            w.u(1, 1); // cabac_alignment_one_bit, and as good as any other slice data for CAVLC
        }
        w.u(8, 0x00).u(8, 0x00).u(8, 0x01).u(8, 0xa5); // slice data, escaped like any
        return BitWriter.escape(w.trailingBits());
    }

    int headerEndBits() {
        return headerEndBits;
    }

    List<byte[]> nals() {
        List<byte[]> nals = new ArrayList<>(List.of(sps(), pps(), slice()));
        return nals;
    }

    /** Ceil(Log2(PicSizeInMapUnits ÷ SliceGroupChangeRate + 1)), by counting: 2^bits >= size / rate + 1. */
    private int changeCycleBits() {
        long size = (long) widthMbs * heightMapUnits;
        long rate = sliceGroupChangeRateMinus1 + 1L;
        int bits = 0;
        while ((rate << bits) < size + rate) {
            bits++;
        }
        return bits;
    }

    private static void modifications(BitWriter w, int[][] ops) {
        w.flag(ops != null);
        if (ops != null) {
            for (int[] op : ops) {
                w.ue(op[0]).ue(op[1]);
            }
            w.ue(3);
        }
    }
}
