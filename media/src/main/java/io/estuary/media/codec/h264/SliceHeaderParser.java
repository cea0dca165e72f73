package io.estuary.media.codec.h264;

import io.estuary.media.codec.BitReader;
import java.util.List;
import java.util.Objects;

/**
 * Finds where the slice header of an H.264 slice NAL unit ends (ITU-T H.264, 7.3.3), so that subsample encryption
 * (ISO/IEC 23001-7, {@code cenc} and {@code cbcs}) can leave the NAL header and the whole slice header in the clear,
 * as CMAF and hardware decoders require.
 *
 * <p>The slice header's syntax depends on the PPS it names and that PPS's SPS, so a parser is made from the
 * parameter sets of a stream (those of its avcC, or of an in-band update). It is immutable and thread-safe.
 */
public final class SliceHeaderParser {
    // slice_type % 5 (Table 7-6).
    private static final int P = 0;
    private static final int B = 1;
    private static final int I = 2;
    private static final int SP = 3;
    private static final int SI = 4;

    /** 7.4.3: num_ref_idx_l0/l1_active_minus1 is at most 31 (field pictures; 15 for frames). */
    private static final int MAX_REF_IDX_MINUS1 = 31;
    /**
     * dec_ref_pic_marking has no count in the spec; libavcodec's MAX_MMCO_COUNT is 66, room for every short- and
     * long-term field of a full DPB. Any bound keeps a hostile run of operations cheap.
     */
    private static final int MAX_MMCO = 66;
    /**
     * Slice headers are short (tens of bytes; a few hundred with long weight tables), so first only this much of
     * a NAL unit is unescaped; the whole unit only when the header does not end within it.
     */
    private static final int FIRST_TRY_BYTES = 256;

    private final SliceSps[] spsById = new SliceSps[32];
    private final PpsInfo[] ppsById = new PpsInfo[256];

    private SliceHeaderParser(List<byte[]> spsNals, List<byte[]> ppsNals) {
        // Filled here, not after: final fields publish what the constructor wrote to every thread.
        for (byte[] nal : spsNals) {
            SliceSps sps = SliceSps.parse(nal);
            spsById[sps.seqParameterSetId()] = sps;
        }
        for (byte[] nal : ppsNals) {
            PpsInfo pps = PpsInfo.parse(nal);
            ppsById[pps.picParameterSetId()] = pps;
        }
    }

    /**
     * A parser for slices referring to these parameter sets: NAL units as carried in avcC, header byte included,
     * emulation prevention bytes present. A later set with the same id replaces an earlier one.
     *
     * @throws IllegalArgumentException if a parameter set is not an SPS (resp. PPS) or cannot be parsed
     */
    public static SliceHeaderParser of(List<byte[]> spsNals, List<byte[]> ppsNals) {
        return new SliceHeaderParser(spsNals, ppsNals);
    }

    /**
     * The number of bytes, from the NAL header byte at {@code buf[nalOffset]}, that hold the NAL header and the
     * complete slice header of a slice NAL unit (nal_unit_type 1 or 5) of {@code nalLength} bytes, counted in the
     * NAL unit as stored: emulation prevention bytes count. The last of these bytes usually holds the first bits of
     * the slice data too.
     *
     * @return the byte count, or -1 when it cannot be told: another NAL unit type (data partitions 2 to 4 and MVC
     *         are not supported), an unknown PPS or SPS, a truncated or malformed header. Never throws for bad data.
     * @throws IndexOutOfBoundsException if the range is not within {@code buf}
     */
    public int headerBytes(byte[] buf, int nalOffset, int nalLength) {
        Objects.checkFromIndexSize(nalOffset, nalLength, buf.length);
        if (nalLength < 2) {
            return -1;
        }
        int firstTry = Math.min(nalLength, FIRST_TRY_BYTES);
        int bits = headerBits(NalUnits.unescapeRbsp(buf, nalOffset, firstTry));
        if (bits < 0 && firstTry < nalLength) {
            bits = headerBits(NalUnits.unescapeRbsp(buf, nalOffset, nalLength));
        }
        return bits < 0 ? -1 : NalUnits.escapedLength(buf, nalOffset, nalLength, (bits + 7) / 8);
    }

    /**
     * The number of bits, from the first bit of the NAL header, up to the end of the slice header, in the RBSP
     * (emulation prevention bytes removed) of a slice NAL unit; -1 when it cannot be told.
     */
    int headerBits(byte[] rbsp) {
        if (rbsp.length < 2 || (rbsp[0] & 0x80) != 0) { // forbidden_zero_bit
            return -1;
        }
        int nalUnitType = NalUnits.type(rbsp[0]);
        if (nalUnitType != NalUnits.TYPE_NON_IDR && nalUnitType != NalUnits.TYPE_IDR) {
            return -1;
        }
        try {
            BitReader r = new BitReader(rbsp, 1, rbsp.length - 1);
            boolean header = sliceHeader(r, nalUnitType == NalUnits.TYPE_IDR, (rbsp[0] >> 5) & 3);
            return header ? rbsp.length * 8 - r.bitsLeft() : -1;
        } catch (IllegalArgumentException truncatedOrMalformed) {
            return -1;
        }
    }

    /**
     * slice_header() of 7.3.3, read and dropped. Returns false for an unknown PPS or SPS; throws
     * {@link IllegalArgumentException} for data that ends early or breaks a range of 7.4.3.
     */
    private boolean sliceHeader(BitReader r, boolean idrPic, int nalRefIdc) {
        r.readUe(); // first_mb_in_slice
        int sliceTypeValue = r.readUe();
        check(sliceTypeValue <= 9, "slice_type");
        int sliceType = sliceTypeValue % 5;
        // 7.4.3 and 7.4.1: an IDR picture is intra coded and a reference (else dec_ref_pic_marking is missed).
        check(!idrPic || (sliceType == I || sliceType == SI) && nalRefIdc != 0, "IDR slice_type or nal_ref_idc");
        int ppsId = r.readUe();
        PpsInfo pps = ppsId < ppsById.length ? ppsById[ppsId] : null;
        SliceSps sps = pps == null ? null : spsById[pps.seqParameterSetId()];
        if (sps == null) {
            return false;
        }
        if (sps.separateColourPlane()) {
            r.readInt(2); // colour_plane_id
        }
        r.readInt(sps.log2MaxFrameNum()); // frame_num
        boolean fieldPic = false;
        if (!sps.frameMbsOnly()) {
            fieldPic = r.readFlag(); // field_pic_flag
            if (fieldPic) {
                r.readFlag(); // bottom_field_flag
            }
        }
        if (idrPic) {
            r.readUe(); // idr_pic_id
        }
        boolean deltaBottomPresent = pps.bottomFieldPicOrderInFramePresentFlag() && !fieldPic;
        if (sps.picOrderCntType() == 0) {
            r.readInt(sps.log2MaxPicOrderCntLsb()); // pic_order_cnt_lsb
            if (deltaBottomPresent) {
                r.readSe(); // delta_pic_order_cnt_bottom
            }
        }
        if (sps.picOrderCntType() == 1 && !sps.deltaPicOrderAlwaysZero()) {
            r.readSe(); // delta_pic_order_cnt[0]
            if (deltaBottomPresent) {
                r.readSe(); // delta_pic_order_cnt[1]
            }
        }
        if (pps.redundantPicCntPresentFlag()) {
            r.readUe(); // redundant_pic_cnt
        }
        if (sliceType == B) {
            r.readFlag(); // direct_spatial_mv_pred_flag
        }
        int l0 = pps.numRefIdxL0DefaultActiveMinus1();
        int l1 = pps.numRefIdxL1DefaultActiveMinus1();
        if (sliceType == P || sliceType == SP || sliceType == B) {
            if (r.readFlag()) { // num_ref_idx_active_override_flag
                l0 = r.readUe(); // num_ref_idx_l0_active_minus1
                if (sliceType == B) {
                    l1 = r.readUe(); // num_ref_idx_l1_active_minus1
                }
            }
        }
        check(l0 <= MAX_REF_IDX_MINUS1 && l1 <= MAX_REF_IDX_MINUS1, "num_ref_idx_l0/l1_active_minus1");
        // nal_unit_type 20 and 21 (MVC, ref_pic_list_mvc_modification) never get here.
        refPicListModification(r, sliceType, l0, l1);
        if ((pps.weightedPredFlag() && (sliceType == P || sliceType == SP))
                || (pps.weightedBipredIdc() == 1 && sliceType == B)) {
            predWeightTable(r, sliceType, sps.chromaArrayType(), l0, l1);
        }
        if (nalRefIdc != 0) {
            decRefPicMarking(r, idrPic);
        }
        if (pps.entropyCodingModeFlag() && sliceType != I && sliceType != SI) {
            r.readUe(); // cabac_init_idc
        }
        r.readSe(); // slice_qp_delta
        if (sliceType == SP || sliceType == SI) {
            if (sliceType == SP) {
                r.readFlag(); // sp_for_switch_flag
            }
            r.readSe(); // slice_qs_delta
        }
        if (pps.deblockingFilterControlPresentFlag()) {
            if (r.readUe() != 1) { // disable_deblocking_filter_idc
                r.readSe(); // slice_alpha_c0_offset_div2
                r.readSe(); // slice_beta_offset_div2
            }
        }
        int mapType = pps.sliceGroupMapType();
        if (pps.numSliceGroupsMinus1() > 0 && mapType >= 3 && mapType <= 5) {
            r.readBits(sliceGroupChangeCycleBits(sps, pps)); // slice_group_change_cycle
        }
        return true;
    }

    /** ref_pic_list_modification() of 7.3.3.1, for list 0 (P, SP, B) and list 1 (B). */
    private static void refPicListModification(BitReader r, int sliceType, int l0, int l1) {
        if (sliceType != I && sliceType != SI) {
            refPicListModificationOfList(r, l0);
        }
        if (sliceType == B) {
            refPicListModificationOfList(r, l1);
        }
    }

    private static void refPicListModificationOfList(BitReader r, int numRefIdxActiveMinus1) {
        if (!r.readFlag()) { // ref_pic_list_modification_flag_lX
            return;
        }
        // 7.4.3.1: at most num_ref_idx_lX_active_minus1 + 1 operations before the closing 3.
        for (int op = 0; op <= numRefIdxActiveMinus1 + 1; op++) {
            int idc = r.readUe(); // modification_of_pic_nums_idc
            if (idc == 3) {
                return;
            }
            check(idc <= 2, "modification_of_pic_nums_idc");
            r.readUe(); // abs_diff_pic_num_minus1 (idc 0, 1) or long_term_pic_num (idc 2)
        }
        throw new IllegalArgumentException("more reference picture list modifications than references");
    }

    /** pred_weight_table() of 7.3.3.2. */
    private static void predWeightTable(BitReader r, int sliceType, int chromaArrayType, int l0, int l1) {
        r.readUe(); // luma_log2_weight_denom
        if (chromaArrayType != 0) {
            r.readUe(); // chroma_log2_weight_denom
        }
        weightsOfList(r, chromaArrayType, l0);
        if (sliceType == B) {
            weightsOfList(r, chromaArrayType, l1);
        }
    }

    private static void weightsOfList(BitReader r, int chromaArrayType, int numRefIdxActiveMinus1) {
        for (int i = 0; i <= numRefIdxActiveMinus1; i++) {
            if (r.readFlag()) { // luma_weight_lX_flag
                r.readSe(); // luma_weight_lX[i]
                r.readSe(); // luma_offset_lX[i]
            }
            if (chromaArrayType != 0 && r.readFlag()) { // chroma_weight_lX_flag
                for (int j = 0; j < 2; j++) {
                    r.readSe(); // chroma_weight_lX[i][j]
                    r.readSe(); // chroma_offset_lX[i][j]
                }
            }
        }
    }

    /** dec_ref_pic_marking() of 7.3.3.3. */
    private static void decRefPicMarking(BitReader r, boolean idrPic) {
        if (idrPic) {
            r.readFlag(); // no_output_of_prior_pics_flag
            r.readFlag(); // long_term_reference_flag
            return;
        }
        if (!r.readFlag()) { // adaptive_ref_pic_marking_mode_flag
            return;
        }
        for (int op = 0; op < MAX_MMCO; op++) {
            int mmco = r.readUe(); // memory_management_control_operation
            check(mmco <= 6, "memory_management_control_operation");
            if (mmco == 0) {
                return;
            }
            if (mmco == 1 || mmco == 3) {
                r.readUe(); // difference_of_pic_nums_minus1
            }
            if (mmco == 2) {
                r.readUe(); // long_term_pic_num
            }
            if (mmco == 3 || mmco == 6) {
                r.readUe(); // long_term_frame_idx
            }
            if (mmco == 4) {
                r.readUe(); // max_long_term_frame_idx_plus1
            }
        }
        throw new IllegalArgumentException("more than " + MAX_MMCO + " memory management control operations");
    }

    /**
     * The width of slice_group_change_cycle (7.4.3): Ceil(Log2(PicSizeInMapUnits ÷ SliceGroupChangeRate + 1)),
     * with ÷ an exact division. Ceil(Log2(x + 1)) is the bit length of Ceil(x).
     */
    static int sliceGroupChangeCycleBits(SliceSps sps, PpsInfo pps) {
        long rate = pps.sliceGroupChangeRateMinus1() + 1L;
        long ceilQuotient = (sps.picSizeInMapUnits() + rate - 1) / rate;
        int bits = 64 - Long.numberOfLeadingZeros(ceilQuotient);
        check(bits <= 32, "slice_group_change_cycle width");
        return bits;
    }

    private static void check(boolean valid, String what) {
        if (!valid) {
            throw new IllegalArgumentException("slice header " + what + " out of range");
        }
    }
}
