package io.estuary.packager.box;

import java.util.List;

/** {@code ftyp} (ISO/IEC 14496-12, 4.3): the file's brands. */
public final class FtypBox {

    private FtypBox() {
    }

    public static void write(BoxWriter w, String majorBrand, int minorVersion, List<String> compatibleBrands) {
        int box = w.start("ftyp");
        w.fourcc(majorBrand).u32(minorVersion);
        for (String brand : compatibleBrands) {
            w.fourcc(brand);
        }
        w.end(box);
    }
}
