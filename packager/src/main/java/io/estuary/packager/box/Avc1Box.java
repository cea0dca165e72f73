package io.estuary.packager.box;

import java.util.function.Consumer;

/**
 * The {@code avc1} sample entry (ISO/IEC 14496-15, 5.4.2): a VisualSampleEntry (ISO/IEC 14496-12, 12.1.3)
 * followed by the {@code avcC} box carrying the AVCDecoderConfigurationRecord. {@code avc1} (not {@code avc3})
 * because parameter sets live in the record, which is how ingest normalizes them.
 */
public final class Avc1Box {

    private static final int COMPRESSOR_NAME_LENGTH = 32;

    private Avc1Box() {
    }

    public static void write(BoxWriter w, int width, int height, byte[] avcC) {
        write(w, "avc1", width, height, avcC, null);
    }

    /**
     * The entry under another fourcc ({@code encv}), with {@code trailer} writing boxes after {@code avcC}
     * ({@code sinf}); a null trailer writes none.
     */
    static void write(BoxWriter w, String fourcc, int width, int height, byte[] avcC,
            Consumer<BoxWriter> trailer) {
        int box = w.start(fourcc);
        w.zeros(6); // SampleEntry reserved
        w.u16(1); // data_reference_index
        w.u16(0); // pre_defined
        w.u16(0); // reserved
        w.zeros(3 * 4); // pre_defined
        w.u16(width);
        w.u16(height);
        w.u32(0x00480000); // horizresolution 72 dpi
        w.u32(0x00480000); // vertresolution 72 dpi
        w.u32(0); // reserved
        w.u16(1); // frame_count
        w.zeros(COMPRESSOR_NAME_LENGTH); // compressorname: empty Pascal string
        w.u16(0x0018); // depth: colour, no alpha
        w.u16(0xffff); // pre_defined = -1
        int config = w.start("avcC");
        w.bytes(avcC);
        w.end(config);
        if (trailer != null) {
            trailer.accept(w);
        }
        w.end(box);
    }
}
