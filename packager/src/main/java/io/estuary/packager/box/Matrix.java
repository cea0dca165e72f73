package io.estuary.packager.box;

/** The unity transformation matrix of {@code mvhd} and {@code tkhd}. */
final class Matrix {

    private static final long[] UNITY = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

    private Matrix() {
    }

    static void writeUnity(BoxWriter w) {
        for (long v : UNITY) {
            w.u32(v);
        }
    }
}
