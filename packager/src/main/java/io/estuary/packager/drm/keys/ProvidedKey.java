package io.estuary.packager.drm.keys;

import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmSystem;
import java.util.Map;
import java.util.Objects;

/**
 * A content key and what its provider says each DRM system should signal with it (only a CPIX key server says
 * anything; static and generated keys come with no signalling, and the packager writes its own).
 */
public record ProvidedKey(ContentKey key, Map<DrmSystem, DrmSignalling> signalling) {

    public ProvidedKey {
        Objects.requireNonNull(key, "key");
        signalling = Map.copyOf(signalling);
    }

    public static ProvidedKey of(ContentKey key) {
        return new ProvidedKey(key, Map.of());
    }
}
