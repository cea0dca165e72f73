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
        SliceSps sps = SliceSps.read(r, profileIdc);
        r.readFlag(); // direct_8x8_inference_flag
        boolean frameMbsOnly = sps.frameMbsOnly();
        int width = sps.picWidthInMbs() * 16;
        int height = (2 - (frameMbsOnly ? 1 : 0)) * sps.picHeightInMapUnits() * 16;
        if (r.readFlag()) { // frame_cropping_flag
            int left = r.readUe();
            int right = r.readUe();
            int top = r.readUe();
            int bottom = r.readUe();
            int chromaArrayType = sps.chromaArrayType();
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
