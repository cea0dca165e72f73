package io.estuary.packager.box;

import java.util.List;

/**
 * {@code senc} (ISO/IEC 23001-7): the sample auxiliary information of a fragment's encrypted samples, in
 * sample order: each sample's IV (absent with a constant IV) and, when {@link #USE_SUBSAMPLE_ENCRYPTION} is set,
 * its subsample count and (BytesOfClearData, BytesOfProtectedData) pairs. Entries come pre-encoded, one byte
 * array per sample, so that {@code saiz} states exactly the sizes written here.
 */
public final class SencBox {

    public static final int USE_SUBSAMPLE_ENCRYPTION = 0x000002;

    private SencBox() {
    }

    /** Writes the box and returns the offset of the first sample's entry (what {@code saio} points at). */
    public static int write(BoxWriter w, List<byte[]> sampleEntries, boolean subsamples) {
        int box = w.startFull("senc", 0, subsamples ? USE_SUBSAMPLE_ENCRYPTION : 0);
        w.u32(sampleEntries.size());
        int first = w.position();
        for (byte[] entry : sampleEntries) {
            w.bytes(entry);
        }
        w.end(box);
        return first;
    }
}
