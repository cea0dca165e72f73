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
        int box = AudioSampleEntry.start(w, fourcc, channels, sampleRate);
        EsdsBox.write(w, audioSpecificConfig);
        if (trailer != null) {
            trailer.accept(w);
        }
        w.end(box);
    }
}
