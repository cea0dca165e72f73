package io.estuary.media.codec.h264;

import io.estuary.media.codec.BitReader;

/**
 * The SPS fields (ITU-T H.264, 7.3.2.1.1) that decide the syntax of a slice header: how wide frame_num and
 * pic_order_cnt_lsb are, which picture order count and field syntax is present, the chroma format (for the chroma
 * weights of pred_weight_table) and the picture size in slice group map units (for slice_group_change_cycle).
 *
 * <p>{@link SpsInfo} walks the same syntax through {@link #read}, so the SPS is followed in one place only.
 */
record SliceSps(int seqParameterSetId, int chromaFormatIdc, boolean separateColourPlane, int log2MaxFrameNum,
        int picOrderCntType, int log2MaxPicOrderCntLsb, boolean deltaPicOrderAlwaysZero, int picWidthInMbs,
        int picHeightInMapUnits, boolean frameMbsOnly) {

    /**
     * Parses an SPS NAL unit (header byte included, emulation prevention bytes present) and checks the ranges
     * of 7.4.2.1.1 that the slice header syntax relies on; throws {@link IllegalArgumentException} otherwise.
     */
    static SliceSps parse(byte[] spsNal) {
        if (spsNal.length < 4 || NalUnits.type(spsNal[0]) != NalUnits.TYPE_SPS) {
            throw new IllegalArgumentException("not an SPS NAL unit of at least 4 bytes");
        }
        BitReader r = new BitReader(NalUnits.unescapeRbsp(spsNal, 1, spsNal.length - 1));
        int profileIdc = r.readInt(8);
        r.skipBits(16); // constraint_set0..5_flag, reserved_zero_2bits, level_idc
        SliceSps sps = read(r, profileIdc);
        // The readers below size u(v) fields from these: out-of-range values would read garbage widths.
        if (sps.seqParameterSetId > 31 || sps.chromaFormatIdc > 3 || sps.picOrderCntType > 2
                || !inRange(sps.log2MaxFrameNum, 4, 16)
                || (sps.picOrderCntType == 0 && !inRange(sps.log2MaxPicOrderCntLsb, 4, 16))) {
            throw new IllegalArgumentException("SPS field out of range: " + sps);
        }
        return sps;
    }

    /**
     * Reads from seq_parameter_set_id up to and including mb_adaptive_frame_field_flag, leaving the reader at
     * direct_8x8_inference_flag. profile_idc has been read by the caller: it decides whether chroma format, bit
     * depths and scaling lists are present.
     */
    static SliceSps read(BitReader r, int profileIdc) {
        int id = r.readUe();
        int chromaFormatIdc = 1; // 7.4.2.1.1: inferred 4:2:0 when absent
        boolean separateColourPlane = false;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = r.readUe();
            if (chromaFormatIdc == 3) {
                separateColourPlane = r.readFlag();
            }
            r.readUe(); // bit_depth_luma_minus8
            r.readUe(); // bit_depth_chroma_minus8
            r.readFlag(); // qpprime_y_zero_transform_bypass_flag
            if (r.readFlag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.readFlag()) { // seq_scaling_list_present_flag[i]
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        int log2MaxFrameNum = r.readUe() + 4;
        int picOrderCntType = r.readUe();
        int log2MaxPicOrderCntLsb = 0;
        boolean deltaPicOrderAlwaysZero = false;
        if (picOrderCntType == 0) {
            log2MaxPicOrderCntLsb = r.readUe() + 4;
        } else if (picOrderCntType == 1) {
            deltaPicOrderAlwaysZero = r.readFlag();
            r.readSe(); // offset_for_non_ref_pic
            r.readSe(); // offset_for_top_to_bottom_field
            int cycle = r.readUe();
            if (cycle > 255) {
                throw new IllegalArgumentException("num_ref_frames_in_pic_order_cnt_cycle " + cycle + " > 255");
            }
            for (int i = 0; i < cycle; i++) {
                r.readSe(); // offset_for_ref_frame[i]
            }
        }
        r.readUe(); // max_num_ref_frames
        r.readFlag(); // gaps_in_frame_num_value_allowed_flag
        int picWidthInMbs = r.readUe() + 1;
        int picHeightInMapUnits = r.readUe() + 1;
        boolean frameMbsOnly = r.readFlag();
        if (!frameMbsOnly) {
            r.readFlag(); // mb_adaptive_frame_field_flag
        }
        return new SliceSps(id, chromaFormatIdc, separateColourPlane, log2MaxFrameNum, picOrderCntType,
                log2MaxPicOrderCntLsb, deltaPicOrderAlwaysZero, picWidthInMbs, picHeightInMapUnits, frameMbsOnly);
    }

    /** ChromaArrayType (7.4.2.1.1): 0 when there is no chroma or each colour plane is coded as monochrome. */
    int chromaArrayType() {
        return separateColourPlane ? 0 : chromaFormatIdc;
    }

    /** PicSizeInMapUnits (7-16), in a long: the two factors come straight from the bitstream. */
    long picSizeInMapUnits() {
        return (long) picWidthInMbs * picHeightInMapUnits;
    }

    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    /** scaling_list() (7.3.2.1.1.1): only walked over, the values do not matter here. */
    private static void skipScalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + r.readSe() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    private static boolean inRange(int value, int min, int max) {
        return value >= min && value <= max;
    }
}
