package io.estuary.packager.box;

/**
 * {@code encv} (ISO/IEC 14496-12, 8.12; ISO/IEC 23001-7): an {@code avc1} sample entry renamed because its
 * samples are encrypted, with a {@code sinf} that names the original format and the scheme. A player that does not
 * know the scheme sees a codec it cannot play rather than garbage it tries to decode.
 */
public final class EncvBox {

    private EncvBox() {
    }

    public static void write(BoxWriter w, int width, int height, byte[] avcC, String schemeType,
            TencBox.Defaults tenc) {
        Avc1Box.write(w, "encv", width, height, avcC, sinf -> SinfBox.write(sinf, "avc1", schemeType, tenc));
    }
}
