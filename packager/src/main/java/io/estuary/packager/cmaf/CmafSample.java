package io.estuary.packager.cmaf;

/**
 * One sample of a CMAF chunk as the fragment writer needs it.
 *
 * @param data              the sample's bytes as they go into {@code mdat}; never modified
 * @param duration          in the track's timescale, 0 to 2^32-1
 * @param compositionOffset pts - dts in the track's timescale, may be negative
 * @param sync              a sync sample (IDR; every AAC frame)
 */
public record CmafSample(byte[] data, long duration, int compositionOffset, boolean sync) {

    public CmafSample {
        if (duration < 0 || duration > 0xffffffffL) {
            throw new IllegalArgumentException("sample duration out of range: " + duration);
        }
    }
}
