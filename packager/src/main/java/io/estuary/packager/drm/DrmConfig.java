package io.estuary.packager.drm;

import static io.estuary.packager.ConfigRules.check;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.ConfigRules;
import io.estuary.packager.drm.keys.CpixConfig;
import io.estuary.packager.drm.keys.DrmPolicy;
import io.estuary.packager.drm.keys.KeyBytes;
import io.estuary.packager.drm.keys.KeyProviderType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Which streams are encrypted and how, read once from {@code estuary.drm}: a top-level policy, overridden per app
 * ({@code "live"}) and per stream ({@code "live/premium"}) under {@code overrides}; the static keys; the CPIX key
 * server; the token of the ClearKey license endpoint. {@link #toString()} shows no key, token or auth header.
 *
 * @param topLevel     the top-level policy, for streams without an override
 * @param overrides    per {@code "app"} or {@code "app/name"}, the complete policy (already merged with its app's
 *                     entry and the top level)
 * @param staticKeys   per {@code "app"} or {@code "app/name"}, the key of {@code key-provider = static}; an IV left
 *                     out in config was drawn at random when the config was read
 * @param licenseToken the Bearer token the ClearKey license endpoint asks for; "" lets loopback clients only
 */
public record DrmConfig(DrmPolicy topLevel, Map<String, DrmPolicy> overrides, Map<String, ContentKey> staticKeys,
        CpixConfig cpix, String licenseToken) {

    private static final Set<String> STATIC_KEY_KEYS = Set.of("kid", "key", "iv");

    public DrmConfig {
        overrides = Map.copyOf(overrides);
        staticKeys = Map.copyOf(staticKeys);
        overrides.keySet().forEach(k -> check(isAppOrStream(k), "overrides", "entry '" + k
                + "' must be an app (\"live\") or a stream (\"live/name\")"));
        staticKeys.keySet().forEach(k -> check(isAppOrStream(k), "static-keys", "entry '" + k
                + "' must be an app (\"live\") or a stream (\"live/name\")"));
        List<String> cpixUsers = new ArrayList<>();
        if (topLevel.keyProvider() == KeyProviderType.CPIX) {
            cpixUsers.add("the top level");
        }
        new TreeMap<>(overrides).forEach((name, policy) -> {
            if (policy.keyProvider() == KeyProviderType.CPIX) {
                cpixUsers.add("overrides." + ConfigUtil.joinPath(name));
            }
        });
        check(cpixUsers.isEmpty() || cpix.url() != null, "cpix.url",
                "must be set: key-provider = cpix at " + String.join(", ", cpixUsers));
        // A license request names a key ID only: one ID with two keys would hand some players the wrong key.
        Map<UUID, String> byKid = new HashMap<>();
        for (Map.Entry<String, ContentKey> e : new TreeMap<>(staticKeys).entrySet()) {
            String other = byKid.putIfAbsent(e.getValue().kidUuid(), e.getKey());
            check(other == null || Arrays.equals(staticKeys.get(other).key(), e.getValue().key()), "static-keys",
                    "entries \"" + other + "\" and \"" + e.getKey() + "\" share key ID " + e.getValue().kidUuid()
                            + " but not the key");
        }
    }

    public static DrmConfig defaults() {
        return new DrmConfig(DrmPolicy.defaults(), Map.of(), Map.of(), CpixConfig.defaults(), "");
    }

    /** Reads {@code estuary.drm}; a bad value fails with a message that names the key in full. */
    public static DrmConfig from(Config root) {
        Config c = root.getConfig("estuary.drm");
        DrmPolicy topLevel = ConfigRules.read(c, "estuary.drm", () -> DrmPolicy.from(c));
        Map<String, Config> overrideEntries = entries(c, "overrides", DrmPolicy.KEYS);
        Map<String, DrmPolicy> overrides = new HashMap<>();
        overrideEntries.forEach((name, own) -> {
            int slash = name.indexOf('/');
            Config app = slash < 0 ? own : overrideEntries.getOrDefault(name.substring(0, slash), own);
            // A stream's entry falls back on its app's, then on the top level: stream beats app beats top level.
            Config effective = own.withFallback(app).withFallback(c);
            overrides.put(name, ConfigRules.read(c, ConfigUtil.joinPath("estuary", "drm", "overrides", name),
                    () -> DrmPolicy.from(effective)));
        });
        Map<String, ContentKey> staticKeys = new HashMap<>();
        entries(c, "static-keys", STATIC_KEY_KEYS).forEach((name, k) -> staticKeys.put(name, ConfigRules.read(c,
                ConfigUtil.joinPath("estuary", "drm", "static-keys", name), () -> staticKey(k))));
        CpixConfig cpix = ConfigRules.read(c, "estuary.drm.cpix", () -> CpixConfig.from(c.getConfig("cpix")));
        return ConfigRules.read(c, "estuary.drm", () -> new DrmConfig(topLevel, overrides, staticKeys, cpix,
                c.getString("license.token")));
    }

    /** The effective policy of a stream: its own override, else its app's, else the top level. */
    public DrmPolicy policyFor(StreamKey stream) {
        DrmPolicy own = overrides.get(stream.toString());
        return own != null ? own : overrides.getOrDefault(stream.app(), topLevel);
    }

    /** The static key of a stream: its own entry, else its app's. */
    public Optional<ContentKey> staticKeyFor(StreamKey stream) {
        ContentKey own = staticKeys.get(stream.toString());
        return Optional.ofNullable(own != null ? own : staticKeys.get(stream.app()));
    }

    /**
     * The entries of {@code overrides} or {@code static-keys}: each an object named after an app or a stream, with
     * known keys only, so that a typo fails start-up instead of silently leaving a stream unprotected.
     */
    private static Map<String, Config> entries(Config c, String list, Set<String> allowed) {
        ConfigObject object = c.getObject(list);
        Map<String, Config> entries = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = ConfigUtil.joinPath("estuary", "drm", list, e.getKey());
            if (!isAppOrStream(e.getKey())) {
                throw new ConfigException.BadValue(e.getValue().origin(), path,
                        "must name an app (\"live\") or a stream (\"live/name\")");
            }
            if (!(e.getValue() instanceof ConfigObject entry)) {
                throw new ConfigException.BadValue(e.getValue().origin(), path, "must be an object { ... }");
            }
            for (Map.Entry<String, ConfigValue> key : entry.entrySet()) {
                if (!allowed.contains(key.getKey())) {
                    throw new ConfigException.BadValue(key.getValue().origin(), path + "." + ConfigUtil.joinPath(
                            key.getKey()), "is not a key here (" + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
            entries.put(e.getKey(), entry.toConfig());
        }
        return entries;
    }

    private static ContentKey staticKey(Config k) {
        check(k.hasPath("kid"), "kid", "is missing (32 hex digits or a UUID)");
        check(k.hasPath("key"), "key", "is missing (32 hex digits)");
        byte[] iv = k.hasPath("iv") ? KeyBytes.parseHex16("iv", k.getString("iv")) : KeyBytes.random16();
        return new ContentKey(KeyBytes.parseKid("kid", k.getString("kid")),
                KeyBytes.parseHex16("key", k.getString("key")), iv);
    }

    private static boolean isAppOrStream(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? StreamKey.isValidPart(name)
                : StreamKey.isValidPart(name.substring(0, slash)) && StreamKey.isValidPart(name.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "DrmConfig[topLevel=" + topLevel + ", overrides=" + new TreeMap<>(overrides) + ", staticKeys="
                + new TreeMap<>(staticKeys) + ", cpix=" + cpix + ", licenseToken="
                + (licenseToken.isEmpty() ? "" : "******") + "]";
    }
}
