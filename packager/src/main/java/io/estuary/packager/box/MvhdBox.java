package io.estuary.packager.box;

/**
 * {@code mvhd} (ISO/IEC 14496-12, 8.2.2), version 0. A fragmented file has no duration in its movie header, and
 * creation times carry no information a player uses, so both stay 0: the same track always gives the same bytes.
 */
public final class MvhdBox {

    private MvhdBox() {
    }

    public static void write(BoxWriter w, int timescale, int nextTrackId) {
        int box = w.startFull("mvhd", 0, 0);
        w.u32(0); // creation_time
        w.u32(0); // modification_time
        w.u32(timescale);
        w.u32(0); // duration: unknown, fragmented
        w.u32(0x00010000); // rate 1.0
        w.u16(0x0100); // volume 1.0
        w.zeros(2 + 8); // reserved
        Matrix.writeUnity(w);
        w.zeros(6 * 4); // pre_defined
        w.u32(nextTrackId);
        w.end(box);
    }
}
