package io.estuary.packager.box;

/**
 * {@code enca} (ISO/IEC 14496-12, 8.12; ISO/IEC 23001-7): an {@code mp4a} or {@code Opus} sample entry renamed
 * because its samples are encrypted, with a {@code sinf} that names the original format and the scheme.
 */
public final class EncaBox {

    private EncaBox() {
    }

    public static void write(BoxWriter w, int channels, int sampleRate, byte[] audioSpecificConfig,
            String schemeType, TencBox.Defaults tenc) {
        Mp4aBox.write(w, "enca", channels, sampleRate, audioSpecificConfig,
                sinf -> SinfBox.write(sinf, "mp4a", schemeType, tenc));
    }

    /** An encrypted {@code Opus} entry: {@code dOps}, then the {@code sinf}. */
    public static void writeOpus(BoxWriter w, int channels, byte[] opusHead, String schemeType,
            TencBox.Defaults tenc) {
        OpusBox.write(w, "enca", channels, opusHead, sinf -> SinfBox.write(sinf, "Opus", schemeType, tenc));
    }
}
