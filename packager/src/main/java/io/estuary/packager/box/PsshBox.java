package io.estuary.packager.box;

import java.util.List;
import java.util.UUID;

/**
 * {@code pssh} (ISO/IEC 23001-7): data for one DRM system. Version 1 also lists the key IDs the data is for,
 * so a player learns them without understanding the data; version 0 has no such list.
 */
public final class PsshBox {

    private PsshBox() {
    }

    /** Writes version 1 with {@code kids} (16 bytes each), or version 0 when {@code kids} is empty. */
    public static void write(BoxWriter w, UUID systemId, List<byte[]> kids, byte[] data) {
        int box = w.startFull("pssh", kids.isEmpty() ? 0 : 1, 0);
        w.u64(systemId.getMostSignificantBits());
        w.u64(systemId.getLeastSignificantBits());
        if (!kids.isEmpty()) {
            w.u32(kids.size());
            for (byte[] kid : kids) {
                if (kid.length != 16) {
                    throw new IllegalArgumentException("a key ID has 16 bytes");
                }
                w.bytes(kid);
            }
        }
        w.u32(data.length);
        w.bytes(data);
        w.end(box);
    }
}
