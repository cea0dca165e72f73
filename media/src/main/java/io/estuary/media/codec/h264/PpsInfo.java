package io.estuary.media.codec.h264;

import io.estuary.media.codec.BitReader;

/**
 * The fields of an H.264 picture parameter set (ITU-T H.264, 7.3.2.2) that decide the syntax of the slice headers
 * referring to it. Parsing stops after redundant_pic_cnt_present_flag: the rest (transform_8x8_mode_flag, the
 * picture scaling lists, second_chroma_qp_index_offset) does not change the slice header.
 *
 * @param sliceGroupMapType           meaningful only when {@code numSliceGroupsMinus1 > 0}
 * @param sliceGroupChangeRateMinus1  meaningful only for slice group map types 3 to 5
 */
public record PpsInfo(int picParameterSetId, int seqParameterSetId, boolean entropyCodingModeFlag,
        boolean bottomFieldPicOrderInFramePresentFlag, int numSliceGroupsMinus1, int sliceGroupMapType,
        int sliceGroupChangeRateMinus1, int numRefIdxL0DefaultActiveMinus1, int numRefIdxL1DefaultActiveMinus1,
        boolean weightedPredFlag, int weightedBipredIdc, boolean deblockingFilterControlPresentFlag,
        boolean redundantPicCntPresentFlag) {

    /** 7.4.2.2: at most 8 slice groups (Annex A allows that many in the Baseline and Extended profiles). */
    private static final int MAX_SLICE_GROUPS_MINUS1 = 7;
    /** 7.4.2.2: num_ref_idx_l0/l1_default_active_minus1 is 0..31. */
    private static final int MAX_REF_IDX_MINUS1 = 31;

    /**
     * Parses a PPS NAL unit, header byte included, emulation prevention bytes present. Throws
     * {@link IllegalArgumentException} when it is truncated or a field is out of the range of 7.4.2.2.
     */
    public static PpsInfo parse(byte[] ppsNal) {
        if (ppsNal.length < 2 || NalUnits.type(ppsNal[0]) != NalUnits.TYPE_PPS) {
            throw new IllegalArgumentException("not a PPS NAL unit of at least 2 bytes");
        }
        BitReader r = new BitReader(NalUnits.unescapeRbsp(ppsNal, 1, ppsNal.length - 1));
        int ppsId = r.readUe();
        int spsId = r.readUe();
        check(ppsId <= 255 && spsId <= 31, "pic/seq_parameter_set_id");
        boolean entropyCodingMode = r.readFlag();
        boolean bottomFieldPicOrderInFramePresent = r.readFlag();
        int numSliceGroupsMinus1 = r.readUe();
        check(numSliceGroupsMinus1 <= MAX_SLICE_GROUPS_MINUS1, "num_slice_groups_minus1");
        int mapType = 0;
        int changeRateMinus1 = 0;
        if (numSliceGroupsMinus1 > 0) {
            mapType = r.readUe();
            check(mapType <= 6, "slice_group_map_type");
            changeRateMinus1 = skipSliceGroupMap(r, mapType, numSliceGroupsMinus1);
        }
        int l0 = r.readUe();
        int l1 = r.readUe();
        check(l0 <= MAX_REF_IDX_MINUS1 && l1 <= MAX_REF_IDX_MINUS1, "num_ref_idx_l0/l1_default_active_minus1");
        boolean weightedPred = r.readFlag();
        int weightedBipredIdc = r.readInt(2);
        check(weightedBipredIdc <= 2, "weighted_bipred_idc");
        r.readSe(); // pic_init_qp_minus26
        r.readSe(); // pic_init_qs_minus26
        r.readSe(); // chroma_qp_index_offset
        boolean deblockingFilterControlPresent = r.readFlag();
        r.readFlag(); // constrained_intra_pred_flag
        boolean redundantPicCntPresent = r.readFlag();
        return new PpsInfo(ppsId, spsId, entropyCodingMode, bottomFieldPicOrderInFramePresent,
                numSliceGroupsMinus1, mapType, changeRateMinus1, l0, l1, weightedPred, weightedBipredIdc,
                deblockingFilterControlPresent, redundantPicCntPresent);
    }

    /**
     * Walks over the slice group map of 7.3.2.2 (flexible macroblock ordering); returns
     * slice_group_change_rate_minus1 for map types 3 to 5, else 0.
     */
    private static int skipSliceGroupMap(BitReader r, int mapType, int numSliceGroupsMinus1) {
        switch (mapType) {
            case 0 -> { // interleaved
                for (int group = 0; group <= numSliceGroupsMinus1; group++) {
                    r.readUe(); // run_length_minus1[group]
                }
            }
            case 2 -> { // foreground with left-over
                for (int group = 0; group < numSliceGroupsMinus1; group++) {
                    r.readUe(); // top_left[group]
                    r.readUe(); // bottom_right[group]
                }
            }
            case 3, 4, 5 -> { // box-out, raster scan, wipe
                r.readFlag(); // slice_group_change_direction_flag
                return r.readUe(); // slice_group_change_rate_minus1
            }
            case 6 -> { // explicit: one slice_group_id of Ceil(Log2(num_slice_groups_minus1 + 1)) bits per map unit
                long mapUnits = r.readUe() + 1L; // pic_size_in_map_units_minus1 + 1
                int idBits = 32 - Integer.numberOfLeadingZeros(numSliceGroupsMinus1);
                long bits = mapUnits * idBits;
                check(bits <= r.bitsLeft(), "slice_group_id[] beyond the end of the PPS");
                r.skipBits((int) bits);
            }
            default -> { // 1, dispersed: no further syntax
            }
        }
        return 0;
    }

    private static void check(boolean valid, String what) {
        if (!valid) {
            throw new IllegalArgumentException("PPS " + what + " out of range");
        }
    }
}
