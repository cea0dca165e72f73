package io.estuary.loadtests;

import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import io.estuary.packager.drm.StreamProtection;
import java.util.List;
import java.util.Map;

/** A fixed test key: the cost of AES does not depend on the key's value. */
final class DrmProtections {
    static final byte[] KEY = bytes(0x11);

    private DrmProtections() {
    }

    /** {@code clear} gives null (no encryption), else the scheme by its fourcc. */
    static StreamProtection of(String scheme) {
        if (scheme.equals("clear")) {
            return null;
        }
        return new StreamProtection(EncryptionScheme.parse(scheme), new ContentKey(bytes(0x01), KEY, bytes(0x22)),
                List.of(DrmSystem.WIDEVINE, DrmSystem.CLEARKEY), Map.of());
    }

    private static byte[] bytes(int v) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
