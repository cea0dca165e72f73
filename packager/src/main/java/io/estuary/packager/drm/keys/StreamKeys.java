package io.estuary.packager.drm.keys;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmConfig;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.StreamProtection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's protection, from its name: its policy ({@link DrmConfig#policyFor}) and its key from the policy's
 * provider. Remembers every key it handed out, so that a license endpoint ({@link #keyById}) can give a player the
 * key of a stream this server encrypted, and no other key: not a static key no stream has used yet, not a key
 * guessed at.
 *
 * <p>Key rotation would start here: {@link #protectionFor} would be asked again at each key period's boundary and
 * remember each period's key; see {@link KeyProvider}.
 */
public final class StreamKeys {

    private static final Logger LOG = LoggerFactory.getLogger(StreamKeys.class);

    private final DrmConfig config;
    private final Map<KeyProviderType, KeyProvider> providers;
    private final BoundedMap<UUID, ContentKey> handedOut;
    private final BoundedMap<StreamKey, ProvidedKey> byStream;

    /**
     * @param providers the provider of each {@link KeyProviderType} the config may name; a policy naming a
     *                  missing one fails its streams
     * @param capacity  how many streams' keys are remembered (the least recently issued are forgotten first)
     */
    public StreamKeys(DrmConfig config, Map<KeyProviderType, ? extends KeyProvider> providers, int capacity) {
        this.config = config;
        this.providers = Map.copyOf(providers);
        this.handedOut = new BoundedMap<>(capacity);
        this.byStream = new BoundedMap<>(capacity);
    }

    /** The providers the config calls for: static keys, generated keys kept in memory, CPIX when configured. */
    public static StreamKeys create(DrmConfig config) {
        Map<KeyProviderType, KeyProvider> providers = new EnumMap<>(KeyProviderType.class);
        providers.put(KeyProviderType.STATIC, new StaticKeyProvider(config));
        providers.put(KeyProviderType.GENERATED, new GeneratedKeyProvider(new InMemoryKeyStore()));
        if (config.cpix().url() != null) {
            providers.put(KeyProviderType.CPIX, new CpixKeyProvider(config.cpix()));
        }
        return new StreamKeys(config, providers, InMemoryKeyStore.DEFAULT_CAPACITY);
    }

    /**
     * How a stream is to be protected: empty when DRM is off for it; otherwise its policy's scheme, systems and
     * license URLs with its key. Fails (a {@link KeyProviderException}) when no key can be had: a stream that
     * should be encrypted is then not packaged in clear.
     */
    public CompletableFuture<Optional<StreamProtection>> protectionFor(StreamKey stream) {
        DrmPolicy policy = config.policyFor(stream);
        if (!policy.enabled()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        KeyProvider provider = providers.get(policy.keyProvider());
        if (provider == null) {
            return CompletableFuture.failedFuture(new KeyProviderException("no " + policy.keyProvider().configName()
                    + " key provider is set up, which the DRM policy of " + stream + " names"));
        }
        CompletableFuture<ProvidedKey> key;
        try {
            key = provider.keyFor(stream, policy);
        } catch (RuntimeException e) {
            key = CompletableFuture.failedFuture(e);
        }
        return key.thenApply(provided -> {
            remember(stream, provided);
            LOG.info("drm {}: {} with key {} ({}), signalled for {}", stream, policy.scheme().fourcc(),
                    provided.key().kidHex(), policy.keyProvider().configName(), policy.systems());
            return Optional.of(new StreamProtection(policy.scheme(), provided.key(), policy.systems(),
                    policy.licenseUrls()));
        });
    }

    /** The key with this key ID, if this server handed it to a stream; for a license endpoint. */
    public Optional<ContentKey> keyById(byte[] kid) {
        return kid == null || kid.length != 16 ? Optional.empty()
                : Optional.ofNullable(handedOut.get(KeyBytes.uuid(kid)));
    }

    /**
     * What the key server said each DRM system should signal for the stream's current key (CPIX only; empty for
     * other providers and for a stream without a key yet).
     */
    public Map<DrmSystem, DrmSignalling> signallingFor(StreamKey stream) {
        ProvidedKey provided = byStream.get(stream);
        return provided == null ? Map.of() : provided.signalling();
    }

    private void remember(StreamKey stream, ProvidedKey provided) {
        ContentKey key = provided.key();
        ContentKey known = handedOut.putIfAbsent(key.kidUuid(), key);
        if (known != null && !known.equals(key)) {
            // Two keys under one key ID: a player licensed for one would be handed the other. Refuse the newcomer.
            throw new KeyProviderException("key ID " + key.kidHex() + " of " + stream
                    + " is already in use with another key; not encrypting with it");
        }
        byStream.put(stream, provided);
    }
}
