package io.estuary.packager.box;

/**
 * {@code saiz} (ISO/IEC 14496-12, 8.7.8): the size of each sample's auxiliary information. No aux_info_type: for
 * Common Encryption it is implied by the scheme (ISO/IEC 23001-7). When every sample's size is the same it
 * is given once as default_sample_info_size, else per sample (which limits each to 255 bytes).
 */
public final class SaizBox {

    private SaizBox() {
    }

    public static void write(BoxWriter w, int[] sampleInfoSizes) {
        boolean allEqual = true;
        for (int size : sampleInfoSizes) {
            if (size < 0 || size > 0xff) {
                throw new IllegalArgumentException("sample auxiliary information of " + size + " bytes");
            }
            allEqual &= size == sampleInfoSizes[0];
        }
        int box = w.startFull("saiz", 0, 0);
        w.u8(allEqual && sampleInfoSizes.length > 0 ? sampleInfoSizes[0] : 0); // default_sample_info_size
        w.u32(sampleInfoSizes.length);
        if (!allEqual || sampleInfoSizes.length == 0) {
            for (int size : sampleInfoSizes) {
                w.u8(size);
            }
        }
        w.end(box);
    }
}
