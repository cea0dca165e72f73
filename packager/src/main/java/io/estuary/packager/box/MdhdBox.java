package io.estuary.packager.box;

/** {@code mdhd} (ISO/IEC 14496-12, 8.4.2), version 0: the track's timescale and language. */
public final class MdhdBox {

    private MdhdBox() {
    }

    /** @param language an ISO 639-2/T code such as {@code und} */
    public static void write(BoxWriter w, int timescale, String language) {
        int box = w.startFull("mdhd", 0, 0);
        w.u32(0); // creation_time
        w.u32(0); // modification_time
        w.u32(timescale);
        w.u32(0); // duration: unknown, fragmented
        w.u16(packLanguage(language));
        w.u16(0); // pre_defined
        w.end(box);
    }

    /** One pad bit, then three 5-bit letters, each stored as its code minus 0x60. */
    static int packLanguage(String language) {
        if (language.length() != 3) {
            throw new IllegalArgumentException("language must be 3 letters: " + language);
        }
        int packed = 0;
        for (int i = 0; i < 3; i++) {
            char c = language.charAt(i);
            if (c < 'a' || c > 'z') {
                throw new IllegalArgumentException("language must be lower-case letters: " + language);
            }
            packed = (packed << 5) | (c - 0x60);
        }
        return packed;
    }
}
