package io.estuary.packager.drm.keys;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.ContentKey;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where generated keys are kept, so that a stream republished under the same name gets the same key and players
 * holding its license keep playing. {@link InMemoryKeyStore} keeps them for the life of the process; a Redis store
 * (for a cluster, where the republish may land on another replica) implements {@link #keyFor} as {@code SET NX}
 * of the fresh key followed by {@code GET}, through Lettuce's asynchronous API.
 */
public interface KeyStore {

    /**
     * The key kept for a stream; when there is none, the one {@code fresh} makes, kept first. Concurrent first
     * calls for one stream all get the same key.
     */
    CompletableFuture<ContentKey> keyFor(StreamKey stream, Supplier<ContentKey> fresh);
}
