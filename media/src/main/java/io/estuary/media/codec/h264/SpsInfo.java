package io.estuary.media.codec.h264;

import io.estuary.media.codec.BitReader;

/**
 * What an H.264 sequence parameter set (ITU-T H.264, 7.3.2.1.1) says about the picture: profile and level for
 * the codec string, the cropped display size, and the frame rate when the VUI carries timing information.
 */
public record SpsInfo(int profileIdc, int constraintFlags, int levelIdc, int width, int height, double frameRate) {

    private static final int MAX_DIMENSION = 16_384;

    /** Parses an SPS NAL unit, header byte included. */
    public static SpsInfo parse(byte[] spsNal) {
        if (spsNal.length < 4) {
            throw new IllegalArgumentException("SPS too short: " + spsNal.length + " bytes");
        }
        if (NalUnits.type(spsNal[0]) != NalUnits.TYPE_SPS) {
            throw new IllegalArgumentException("not an SPS: NAL type " + NalUnits.type(spsNal[0]));
        }
        byte[] rbsp = NalUnits.unescapeRbsp(spsNal, 1, spsNal.length - 1);
        BitReader r = new BitReader(rbsp);
        int profileIdc = r.readInt(8);
        int constraintFlags = r.readInt(8);
        int levelIdc = r.readInt(8);
        r.readUe(); // seq_parameter_set_id
        int chromaFormatIdc = 1;
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
                    if (r.readFlag()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.readUe(); // log2_max_frame_num_minus4
        int picOrderCntType = r.readUe();
        if (picOrderCntType == 0) {
            r.readUe(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (picOrderCntType == 1) {
            r.readFlag(); // delta_pic_order_always_zero_flag
            r.readSe(); // offset_for_non_ref_pic
            r.readSe(); // offset_for_top_to_bottom_field
            int cycle = r.readUe();
            if (cycle > 255) {
                throw new IllegalArgumentException("num_ref_frames_in_pic_order_cnt_cycle " + cycle + " > 255");
            }
            for (int i = 0; i < cycle; i++) {
                r.readSe();
            }
        }
        r.readUe(); // max_num_ref_frames
        r.readFlag(); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = r.readUe() + 1;
        int heightInMapUnits = r.readUe() + 1;
        boolean frameMbsOnly = r.readFlag();
        if (!frameMbsOnly) {
            r.readFlag(); // mb_adaptive_frame_field_flag
        }
        r.readFlag(); // direct_8x8_inference_flag
        int width = widthInMbs * 16;
        int height = (2 - (frameMbsOnly ? 1 : 0)) * heightInMapUnits * 16;
        if (r.readFlag()) { // frame_cropping_flag
            int left = r.readUe();
            int right = r.readUe();
            int top = r.readUe();
            int bottom = r.readUe();
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int cropUnitX = chromaArrayType == 0 ? 1 : (chromaArrayType == 3 ? 1 : 2);
            int cropUnitY = (chromaArrayType == 0 ? 1 : (chromaArrayType == 1 ? 2 : 1)) * (frameMbsOnly ? 1 : 2);
            width -= (left + right) * cropUnitX;
            height -= (top + bottom) * cropUnitY;
        }
        if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new IllegalArgumentException("SPS picture size " + width + "x" + height + " out of range");
        }
        double frameRate = 0;
        if (r.bitsLeft() > 0 && r.readFlag()) { // vui_parameters_present_flag
            frameRate = parseVuiFrameRate(r);
        }
        return new SpsInfo(profileIdc, constraintFlags, levelIdc, width, height, frameRate);
    }

    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

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

    /** Reads the VUI up to timing_info; a VUI we cannot follow just means "frame rate unknown". */
    private static double parseVuiFrameRate(BitReader r) {
        try {
            if (r.readFlag()) { // aspect_ratio_info_present_flag
                if (r.readInt(8) == 255) { // Extended_SAR
                    r.skipBits(32);
                }
            }
            if (r.readFlag()) { // overscan_info_present_flag
                r.readFlag();
            }
            if (r.readFlag()) { // video_signal_type_present_flag
                r.skipBits(4);
                if (r.readFlag()) { // colour_description_present_flag
                    r.skipBits(24);
                }
            }
            if (r.readFlag()) { // chroma_loc_info_present_flag
                r.readUe();
                r.readUe();
            }
            if (r.readFlag()) { // timing_info_present_flag
                long numUnitsInTick = r.readBits(32);
                long timeScale = r.readBits(32);
                if (numUnitsInTick > 0 && timeScale > 0) {
                    // Two ticks per frame for progressive content (H.264 E.2.1).
                    return timeScale / (2.0 * numUnitsInTick);
                }
            }
        } catch (IllegalArgumentException truncated) {
            return 0;
        }
        return 0;
    }
}
