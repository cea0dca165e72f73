package io.estuary.packager.box;

/**
 * {@code trex} (ISO/IEC 14496-12, 8.8.3): fragment defaults. Ours are all zero except the sample description,
 * because every {@code trun} we write states duration, size and flags per sample.
 */
public final class TrexBox {

    private TrexBox() {
    }

    public static void write(BoxWriter w, int trackId) {
        int box = w.startFull("trex", 0, 0);
        w.u32(trackId);
        w.u32(1); // default_sample_description_index
        w.u32(0); // default_sample_duration
        w.u32(0); // default_sample_size
        w.u32(0); // default_sample_flags
        w.end(box);
    }
}
