package io.estuary.packager.drm;

/**
 * One entry of a sample's subsample map (a {@code senc} entry): {@code clearBytes} left in the clear, then
 * {@code protectedBytes} encrypted. The map's entries tile the sample in order.
 *
 * @param clearBytes     0 to 65535 (16 bits in {@code senc})
 * @param protectedBytes 0 or more (32 bits in {@code senc})
 */
public record Subsample(int clearBytes, int protectedBytes) {

    public static final int MAX_CLEAR_BYTES = 0xffff;

    public Subsample {
        if (clearBytes < 0 || clearBytes > MAX_CLEAR_BYTES || protectedBytes < 0) {
            throw new IllegalArgumentException("subsample " + clearBytes + "/" + protectedBytes);
        }
    }
}
