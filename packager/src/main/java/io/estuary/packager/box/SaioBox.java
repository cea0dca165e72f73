package io.estuary.packager.box;

/**
 * {@code saio} (ISO/IEC 14496-12, 8.7.9), version 0 with one entry: where a fragment's sample auxiliary
 * information starts. In a {@code traf} whose {@code tfhd} has default-base-is-moof the offset counts from the
 * first byte of the {@code moof}; the information lies in the {@code senc} written after this box, so the offset is
 * written as a placeholder and patched.
 */
public final class SaioBox {

    private SaioBox() {
    }

    /** Writes the box and returns the offset of its single offset field, for {@link BoxWriter#patchU32}. */
    public static int write(BoxWriter w) {
        int box = w.startFull("saio", 0, 0);
        w.u32(1); // entry_count: the samples of the one trun are contiguous
        int offsetAt = w.position();
        w.u32(0);
        w.end(box);
        return offsetAt;
    }
}
