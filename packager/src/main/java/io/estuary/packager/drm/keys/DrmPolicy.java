package io.estuary.packager.drm.keys;

import static io.estuary.packager.ConfigRules.check;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The effective DRM settings of one stream: the top level of {@code estuary.drm}, overridden by its app's entry
 * under {@code overrides}, overridden by the stream's own ({@code "app/name"}) entry.
 *
 * @param enabled     whether the stream is encrypted at all
 * @param systems     the DRM systems signalled, in this order, without repeats
 * @param licenseUrls per system, where players get licenses (only systems with a URL have an entry; see
 *                    {@link io.estuary.packager.drm.StreamProtection} for what a missing entry means)
 */
public record DrmPolicy(boolean enabled, EncryptionScheme scheme, List<DrmSystem> systems,
        KeyProviderType keyProvider, Map<DrmSystem, String> licenseUrls) {

    /** The keys a policy is made of: the only ones allowed in an {@code overrides} entry. */
    public static final Set<String> KEYS = Set.of("enabled", "scheme", "systems", "key-provider", "license-urls");

    public DrmPolicy {
        systems = List.copyOf(systems);
        licenseUrls = licenseUrls.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(licenseUrls));
        check(systems.stream().distinct().count() == systems.size(), "systems", "names a system twice: "
                + systems.stream().map(DrmSystem::configName).toList());
        check(!enabled || !systems.isEmpty(), "systems", "must name at least one DRM system when enabled = true");
        // FairPlay decrypts only AES-CBC with a pattern; a cenc stream would be unplayable in Safari.
        check(!systems.contains(DrmSystem.FAIRPLAY) || scheme == EncryptionScheme.CBCS, "systems",
                "includes fairplay, which needs scheme = cbcs (scheme is " + scheme.fourcc() + ")");
        licenseUrls.forEach(DrmPolicy::checkUrl);
    }

    public static DrmPolicy defaults() {
        return new DrmPolicy(false, EncryptionScheme.CENC,
                List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY), KeyProviderType.GENERATED,
                Map.of());
    }

    /**
     * Reads a policy from a section holding the policy keys ({@link #KEYS}).
     *
     * @throws IllegalArgumentException "{@code key} rule", for {@link io.estuary.packager.ConfigRules#read}
     */
    public static DrmPolicy from(Config c) {
        boolean enabled = c.getBoolean("enabled");
        EncryptionScheme scheme = named("scheme", () -> EncryptionScheme.parse(c.getString("scheme")));
        List<DrmSystem> systems = named("systems",
                () -> c.getStringList("systems").stream().map(DrmSystem::parse).toList());
        KeyProviderType provider = named("key-provider", () -> KeyProviderType.parse(c.getString("key-provider")));
        Map<DrmSystem, String> urls = new EnumMap<>(DrmSystem.class);
        for (Map.Entry<String, ConfigValue> e : c.getObject("license-urls").entrySet()) {
            String key = "license-urls." + e.getKey();
            DrmSystem system = named(key, () -> DrmSystem.parse(e.getKey()));
            Object url = e.getValue().unwrapped();
            check(url instanceof String, key, "must be a string");
            if (!((String) url).isBlank()) {
                urls.put(system, ((String) url).trim());
            }
        }
        return new DrmPolicy(enabled, scheme, systems, provider, urls);
    }

    private static void checkUrl(DrmSystem system, String url) {
        String key = "license-urls." + system.configName();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a URI: " + e.getMessage());
        }
        // FairPlay's is the key URI of EXT-X-KEY, handed to the app (skd://...), not fetched by the player.
        if (system == DrmSystem.FAIRPLAY) {
            check(uri.isAbsolute(), key, "must be an absolute URI such as skd://...: " + url);
        } else {
            check(("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null, key, "must be an http(s) URL: " + url);
        }
    }

    /** Runs a parse whose failure does not name its key, and prefixes the key. */
    static <T> T named(String key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + e.getMessage(), e);
        }
    }
}
