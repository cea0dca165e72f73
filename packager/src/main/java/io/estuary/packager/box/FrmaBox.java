package io.estuary.packager.box;

/**
 * {@code frma} (ISO/IEC 14496-12, 8.12.2): the fourcc a protected sample entry had before it was renamed to
 * {@code encv} or {@code enca}, so that a player knows the codec behind the encryption.
 */
public final class FrmaBox {

    private FrmaBox() {
    }

    public static void write(BoxWriter w, String originalFormat) {
        int box = w.start("frma");
        w.fourcc(originalFormat);
        w.end(box);
    }
}
