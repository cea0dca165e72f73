package io.estuary.packager.drm.keys;

import io.estuary.media.router.StreamKey;
import java.util.concurrent.CompletableFuture;

/**
 * Gives a stream its content key. Asynchronous because a provider may ask a key server: the future completes off
 * the caller's thread when it must, and a provider never waits on one ({@code join}/{@code get}) itself. A stream
 * asked for again (a republish) gets the same key while the provider remembers it; a failure is a failed future
 * with a {@link KeyProviderException}, never a made-up key.
 *
 * <p>Key rotation would go here: {@code keyFor} would take the key period (a segment range or a wall-clock
 * window), a CPIX request would carry a {@code ContentKeyPeriodList} with one key per period, and {@code
 * StreamProtection} would hold the current and next keys for the packager to switch on a segment boundary.
 */
public interface KeyProvider {

    /** The key for a stream under its policy (the scheme and systems a key server is told about). */
    CompletableFuture<ProvidedKey> keyFor(StreamKey stream, DrmPolicy policy);
}
