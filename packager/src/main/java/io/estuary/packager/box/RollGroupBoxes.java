package io.estuary.packager.box;

/**
 * The 'roll' sample group (ISO/IEC 14496-12, 8.9 and 10.1): how many samples a decoder must decode before its
 * output is right after starting at a sample. Opus needs 80 ms of pre-roll after any random access, and its
 * ISO-BMFF mapping ("Encapsulation of Opus in ISO Base Media File Format", 4.3.6.2) requires the group in the
 * sample table and in every track fragment holding Opus samples.
 */
public final class RollGroupBoxes {

    private RollGroupBoxes() {
    }

    /**
     * {@code sgpd} version 1 with one AudioRollRecoveryEntry.
     *
     * @param rollDistance samples to decode first, negative: they precede the sample started at
     */
    public static void writeDescription(BoxWriter w, int rollDistance) {
        if (rollDistance >= 0 || rollDistance < Short.MIN_VALUE) {
            throw new IllegalArgumentException("a pre-roll distance is negative and 16 bits: " + rollDistance);
        }
        int box = w.startFull("sgpd", 1, 0);
        w.fourcc("roll"); // grouping_type
        w.u32(2); // default_length: an AudioRollRecoveryEntry is one int(16)
        w.u32(1); // entry_count
        w.u16(rollDistance); // roll_distance
        w.end(box);
    }

    /** {@code sbgp} of the (empty) sample table of a fragmented track: no sample outside fragments. */
    public static void writeEmptyMapping(BoxWriter w) {
        int box = w.startFull("sbgp", 0, 0);
        w.fourcc("roll"); // grouping_type
        w.u32(0); // entry_count
        w.end(box);
    }

    /** {@code sbgp} of a track fragment: all its samples in the group described in the sample table (index 1). */
    public static void writeMapping(BoxWriter w, int sampleCount) {
        int box = w.startFull("sbgp", 0, 0);
        w.fourcc("roll"); // grouping_type
        w.u32(1); // entry_count
        w.u32(sampleCount); // sample_count
        w.u32(1); // group_description_index: the first entry of the moov's sgpd
        w.end(box);
    }
}
