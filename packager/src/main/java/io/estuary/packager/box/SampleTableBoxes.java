package io.estuary.packager.box;

/**
 * The sample tables of a fragmented track's {@code stbl} (ISO/IEC 14496-12, 8.6.1.2, 8.7.4, 8.7.3.2, 8.7.5):
 * all samples live in movie fragments, so every table is empty.
 */
public final class SampleTableBoxes {

    private SampleTableBoxes() {
    }

    /** Empty {@code stts}, {@code stsc}, {@code stsz} and {@code stco}, in that order. */
    public static void writeEmptyTables(BoxWriter w) {
        int stts = w.startFull("stts", 0, 0);
        w.u32(0); // entry_count
        w.end(stts);
        int stsc = w.startFull("stsc", 0, 0);
        w.u32(0); // entry_count
        w.end(stsc);
        int stsz = w.startFull("stsz", 0, 0);
        w.u32(0); // sample_size: sizes are per sample
        w.u32(0); // sample_count
        w.end(stsz);
        int stco = w.startFull("stco", 0, 0);
        w.u32(0); // entry_count
        w.end(stco);
    }
}
