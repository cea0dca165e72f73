package io.estuary.packager.box;

/**
 * {@code tfhd} (ISO/IEC 14496-12, 8.8.7) with only default-base-is-moof set, as CMAF requires: data offsets in
 * {@code trun} count from the first byte of the enclosing {@code moof}, and no defaults are given because each
 * {@code trun} sample states its own duration, size and flags.
 */
public final class TfhdBox {

    public static final int DEFAULT_BASE_IS_MOOF = 0x020000;

    private TfhdBox() {
    }

    public static void write(BoxWriter w, int trackId) {
        int box = w.startFull("tfhd", 0, DEFAULT_BASE_IS_MOOF);
        w.u32(trackId);
        w.end(box);
    }
}
