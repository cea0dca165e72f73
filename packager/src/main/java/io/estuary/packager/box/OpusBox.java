package io.estuary.packager.box;

import java.util.function.Consumer;

/**
 * The {@code Opus} sample entry ("Encapsulation of Opus in ISO Base Media File Format", 4.3.1): an
 * AudioSampleEntry with samplesize 16 and samplerate 48000 (Opus always decodes at 48 kHz), followed by
 * {@link DopsBox dOps}.
 */
public final class OpusBox {

    private static final int OPUS_RATE = 48_000;

    private OpusBox() {
    }

    public static void write(BoxWriter w, int channels, byte[] opusHead) {
        write(w, "Opus", channels, opusHead, null);
    }

    /** The entry under another fourcc ({@code enca}), with {@code trailer} writing boxes after {@code dOps}. */
    static void write(BoxWriter w, String fourcc, int channels, byte[] opusHead, Consumer<BoxWriter> trailer) {
        int box = AudioSampleEntry.start(w, fourcc, channels, OPUS_RATE);
        DopsBox.write(w, opusHead);
        if (trailer != null) {
            trailer.accept(w);
        }
        w.end(box);
    }
}
