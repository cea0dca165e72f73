package io.estuary.packager.box;

/**
 * The 32-bit sample flags of {@code trun}/{@code trex} (ISO/IEC 14496-12, 8.8.3.1): is_leading (2 bits),
 * sample_depends_on (2), sample_is_depended_on (2), sample_has_redundancy (2), sample_padding_value (3),
 * sample_is_non_sync_sample (1), sample_degradation_priority (16).
 */
public final class SampleFlags {

    /** A sync sample: depends on no other (sample_depends_on = 2), is_non_sync_sample = 0. */
    public static final int SYNC = 2 << 24;
    /** A non-sync sample: depends on others (sample_depends_on = 1), is_non_sync_sample = 1. */
    public static final int NON_SYNC = (1 << 24) | (1 << 16);

    private SampleFlags() {
    }

    public static int of(boolean sync) {
        return sync ? SYNC : NON_SYNC;
    }
}
