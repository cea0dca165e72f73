package io.estuary.packager.box;

/**
 * {@code sinf} (ISO/IEC 14496-12, 8.12.1) as Common Encryption uses it (ISO/IEC 23001-7): the original
 * format ({@code frma}), the scheme ({@code schm}) and the scheme information ({@code schi}) holding {@code tenc}.
 */
public final class SinfBox {

    private SinfBox() {
    }

    public static void write(BoxWriter w, String originalFormat, String schemeType, TencBox.Defaults tenc) {
        int sinf = w.start("sinf");
        FrmaBox.write(w, originalFormat);
        SchmBox.write(w, schemeType, SchmBox.CENC_SCHEME_VERSION);
        int schi = w.start("schi");
        TencBox.write(w, tenc);
        w.end(schi);
        w.end(sinf);
    }
}
