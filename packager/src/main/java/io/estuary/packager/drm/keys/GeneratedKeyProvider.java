package io.estuary.packager.drm.keys;

import io.estuary.media.router.StreamKey;
import java.util.concurrent.CompletableFuture;

/**
 * A random key ID, key and IV per stream ({@link KeyBytes#randomKey}), kept in a {@link KeyStore} so that a
 * republish under the same name keeps its key. Suits ClearKey (this server is the license server) and tests; a
 * commercial DRM's license server cannot know these keys, so use {@code cpix} there.
 */
public final class GeneratedKeyProvider implements KeyProvider {

    private final KeyStore store;

    public GeneratedKeyProvider(KeyStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<ProvidedKey> keyFor(StreamKey stream, DrmPolicy policy) {
        return store.keyFor(stream, KeyBytes::randomKey).thenApply(ProvidedKey::of);
    }
}
