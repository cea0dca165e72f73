package io.estuary.packager.box;

/** {@code mfhd} (ISO/IEC 14496-12, 8.8.5): the movie fragment's sequence number. */
public final class MfhdBox {

    private MfhdBox() {
    }

    public static void write(BoxWriter w, long sequenceNumber) {
        int box = w.startFull("mfhd", 0, 0);
        w.u32(sequenceNumber);
        w.end(box);
    }
}
