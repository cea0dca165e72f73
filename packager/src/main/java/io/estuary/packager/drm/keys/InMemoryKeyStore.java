package io.estuary.packager.drm.keys;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.ContentKey;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Generated keys kept in this process: one server, zero set-up. Past {@code capacity} streams the least recently
 * published stream's key is forgotten (it gets a new key if it comes back).
 */
public final class InMemoryKeyStore implements KeyStore {

    /** Enough for every stream a single server sees in a long life; about 200 bytes each. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final BoundedMap<StreamKey, ContentKey> keys;

    public InMemoryKeyStore() {
        this(DEFAULT_CAPACITY);
    }

    public InMemoryKeyStore(int capacity) {
        this.keys = new BoundedMap<>(capacity);
    }

    @Override
    public CompletableFuture<ContentKey> keyFor(StreamKey stream, Supplier<ContentKey> fresh) {
        return CompletableFuture.completedFuture(keys.computeIfAbsent(stream, s -> fresh.get()));
    }
}
