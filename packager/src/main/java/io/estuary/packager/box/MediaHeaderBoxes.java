package io.estuary.packager.box;

/** The media-specific headers of {@code minf} and its data reference (ISO/IEC 14496-12, 12.1.2, 12.2.2, 8.7). */
public final class MediaHeaderBoxes {

    private MediaHeaderBoxes() {
    }

    /** {@code vmhd}: flags 1 as the specification requires, copy graphics mode. */
    public static void writeVmhd(BoxWriter w) {
        int box = w.startFull("vmhd", 0, 1);
        w.u16(0); // graphicsmode: copy
        w.zeros(3 * 2); // opcolor
        w.end(box);
    }

    /** {@code smhd}: centred balance. */
    public static void writeSmhd(BoxWriter w) {
        int box = w.startFull("smhd", 0, 0);
        w.u16(0); // balance
        w.u16(0); // reserved
        w.end(box);
    }

    /** {@code dinf} with a {@code dref} holding one self-contained {@code url } entry: the media is in this file. */
    public static void writeDinf(BoxWriter w) {
        int dinf = w.start("dinf");
        int dref = w.startFull("dref", 0, 0);
        w.u32(1); // entry_count
        int url = w.startFull("url ", 0, 1); // flags 1: media data in the same file
        w.end(url);
        w.end(dref);
        w.end(dinf);
    }
}
