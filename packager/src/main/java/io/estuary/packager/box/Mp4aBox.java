package io.estuary.packager.box;

import java.util.function.Consumer;

/**
 * The {@code mp4a} sample entry (ISO/IEC 14496-14, 5.6): an AudioSampleEntry (ISO/IEC 14496-12, 12.2.3) followed
 * by the {@code esds} box.
 */
public final class Mp4aBox {

    private Mp4aBox() {
    }

    public static void write(BoxWriter w, int channels, int sampleRate, byte[] audioSpecificConfig) {
        write(w, "mp4a", channels, sampleRate, audioSpecificConfig, null);
    }

    /**
     * The entry under another fourcc ({@code enca}), with {@code trailer} writing boxes after {@code esds}
     * ({@code sinf}); a null trailer writes none.
     */
    static void write(BoxWriter w, String fourcc, int channels, int sampleRate, byte[] audioSpecificConfig,
            Consumer<BoxWriter> trailer) {
        int box = w.start(fourcc);
        w.zeros(6); // SampleEntry reserved
        w.u16(1); // data_reference_index
        w.zeros(2 * 4); // reserved
        w.u16(channels);
        w.u16(16); // samplesize
        w.u16(0); // pre_defined
        w.u16(0); // reserved
        // 16.16 fixed point; a rate above 65535 Hz does not fit, and the AudioSpecificConfig is authoritative anyway.
        w.u32(sampleRate <= 0xffff ? (long) sampleRate << 16 : 0);
        EsdsBox.write(w, audioSpecificConfig);
        if (trailer != null) {
            trailer.accept(w);
        }
        w.end(box);
    }
}
