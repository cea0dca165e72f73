package io.estuary.packager.drm.keys;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.DrmConfig;
import java.util.concurrent.CompletableFuture;

/** Keys written in {@code estuary.drm.static-keys}: the stream's own entry, else its app's. */
public final class StaticKeyProvider implements KeyProvider {

    private final DrmConfig config;

    public StaticKeyProvider(DrmConfig config) {
        this.config = config;
    }

    @Override
    public CompletableFuture<ProvidedKey> keyFor(StreamKey stream, DrmPolicy policy) {
        return config.staticKeyFor(stream).map(k -> CompletableFuture.completedFuture(ProvidedKey.of(k)))
                .orElseGet(() -> CompletableFuture.failedFuture(new KeyProviderException("no static key for "
                        + stream + ": add estuary.drm.static-keys.\"" + stream + "\" or .\"" + stream.app()
                        + "\" { kid = ..., key = ... }, or choose another key-provider for it")));
    }
}
