package io.estuary.packager.box;

import java.util.List;

/**
 * {@code trun} (ISO/IEC 14496-12, 8.8.8), version 1 so that composition offsets are signed (B-frames whose
 * presentation precedes their decode time need no edit list). Every sample states its duration, size, flags and
 * composition offset; the data offset is written as a placeholder and patched once the {@code moof} size is known.
 */
public final class TrunBox {

    public static final int DATA_OFFSET_PRESENT = 0x000001;
    public static final int SAMPLE_DURATION_PRESENT = 0x000100;
    public static final int SAMPLE_SIZE_PRESENT = 0x000200;
    public static final int SAMPLE_FLAGS_PRESENT = 0x000400;
    public static final int SAMPLE_COMPOSITION_TIME_OFFSET_PRESENT = 0x000800;
    private static final int FLAGS = DATA_OFFSET_PRESENT | SAMPLE_DURATION_PRESENT | SAMPLE_SIZE_PRESENT
            | SAMPLE_FLAGS_PRESENT | SAMPLE_COMPOSITION_TIME_OFFSET_PRESENT;

    /** One row of the run. {@code duration} and {@code size} are unsigned 32-bit values held in a long. */
    public record Sample(long duration, long size, int flags, int compositionOffset) {
    }

    private TrunBox() {
    }

    /**
     * Writes the box and returns the offset of its data_offset field, to be patched with
     * {@link BoxWriter#patchU32} once the distance from the {@code moof} start to the first sample byte is known.
     */
    public static int write(BoxWriter w, List<Sample> samples) {
        int box = w.startFull("trun", 1, FLAGS);
        w.u32(samples.size());
        int dataOffsetAt = w.position();
        w.u32(0); // data_offset, patched by the caller
        for (Sample s : samples) {
            w.u32(s.duration());
            w.u32(s.size());
            w.u32(s.flags());
            w.u32(s.compositionOffset()); // signed in version 1
        }
        w.end(box);
        return dataOffsetAt;
    }
}
