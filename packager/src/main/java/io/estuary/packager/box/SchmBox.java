package io.estuary.packager.box;

/**
 * {@code schm} (ISO/IEC 14496-12, 8.12.5): the protection scheme of a protected sample entry, no scheme URI.
 * Common Encryption (ISO/IEC 23001-7) fixes scheme_version at 0x00010000 (major 1, minor 0).
 */
public final class SchmBox {

    public static final long CENC_SCHEME_VERSION = 0x00010000L;

    private SchmBox() {
    }

    public static void write(BoxWriter w, String schemeType, long schemeVersion) {
        int box = w.startFull("schm", 0, 0);
        w.fourcc(schemeType);
        w.u32(schemeVersion);
        w.end(box);
    }
}
