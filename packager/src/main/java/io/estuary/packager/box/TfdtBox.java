package io.estuary.packager.box;

/** {@code tfdt} (ISO/IEC 14496-12, 8.8.12), version 1: the 64-bit decode time of the fragment's first sample. */
public final class TfdtBox {

    private TfdtBox() {
    }

    public static void write(BoxWriter w, long baseMediaDecodeTime) {
        if (baseMediaDecodeTime < 0) {
            throw new IllegalArgumentException("negative baseMediaDecodeTime " + baseMediaDecodeTime);
        }
        int box = w.startFull("tfdt", 1, 0);
        w.u64(baseMediaDecodeTime);
        w.end(box);
    }
}
