package io.estuary.protocols.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.estuary.media.router.StreamKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stream keys from {@code estuary.publish.keys}: a map of {@code "app/name" = "secret"}. A publisher proves it may
 * publish {@code app/name} either with {@code name?key=secret} or by publishing to {@code app/secret} (what OBS
 * users paste in the "Stream key" field). An empty map means open publishing: any valid name is accepted, and a
 * {@code ?key=} the publisher sends is kept only as its identity for a later takeover.
 */
public final class StreamKeyAuthorizer implements PublishAuthorizer {
    private final Map<StreamKey, String> secrets;
    private final Map<String, StreamKey> bySecret;

    public StreamKeyAuthorizer(Map<StreamKey, String> secrets) {
        this.secrets = Map.copyOf(secrets);
        Map<String, StreamKey> reverse = new HashMap<>();
        secrets.forEach((key, secret) -> reverse.put(key.app() + "/" + secret, key));
        this.bySecret = Map.copyOf(reverse);
    }

    /** Reads {@code estuary.publish.keys}; a bad entry fails with a message naming its key (never its secret). */
    public static StreamKeyAuthorizer from(Config root) {
        String path = "estuary.publish.keys";
        if (!root.hasPath(path)) {
            return new StreamKeyAuthorizer(Map.of());
        }
        ConfigObject object = root.getObject(path);
        Map<StreamKey, String> secrets = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String entry = path + ".\"" + e.getKey() + "\"";
            String[] parts = e.getKey().split("/", -1);
            if (parts.length != 2 || !StreamKey.isValidPart(parts[0]) || !StreamKey.isValidPart(parts[1])) {
                throw new ConfigException.BadValue(e.getValue().origin(), entry,
                        "expected a stream \"app/name\" with letters, digits, '_', '.', '-'");
            }
            if (e.getValue().valueType() != ConfigValueType.STRING) {
                throw new ConfigException.BadValue(e.getValue().origin(), entry, "the secret must be a string");
            }
            String secret = (String) e.getValue().unwrapped();
            if (secret.isEmpty() || !StreamKey.isValidPart(secret)) {
                // The secret may be used as a stream name, so it must be one.
                throw new ConfigException.BadValue(e.getValue().origin(), entry,
                        "the secret must be 1-128 letters, digits, '_', '.', '-'");
            }
            secrets.put(new StreamKey(parts[0], parts[1]), secret);
        }
        return new StreamKeyAuthorizer(secrets);
    }

    /** True when no keys are configured: anyone may publish (the server warns at start-up). */
    public boolean isOpen() {
        return secrets.isEmpty();
    }

    @Override
    public PublishDecision authorize(String app, String publishName) {
        String name = publishName == null ? "" : publishName;
        String presented = null;
        int query = name.indexOf('?');
        if (query >= 0) {
            presented = queryParameter(name.substring(query + 1), "key");
            name = name.substring(0, query);
        }
        return authorize(app, name, presented);
    }

    @Override
    public PublishDecision authorize(String app, String name, String presented) {
        if (!StreamKey.isValidPart(app)) {
            return new PublishDecision.Refused("invalid application name", true);
        }
        if (name == null || !StreamKey.isValidPart(name)) {
            return new PublishDecision.Refused("invalid stream name (use letters, digits, '_', '.', '-')", true);
        }
        StreamKey key = new StreamKey(app, name);
        if (isOpen()) {
            return new PublishDecision.Allowed(key, presented);
        }
        String expected = secrets.get(key);
        if (presented != null) {
            if (expected != null && constantTimeEquals(expected, presented)) {
                return new PublishDecision.Allowed(key, expected);
            }
            return new PublishDecision.Refused("wrong stream key for " + key);
        }
        StreamKey bySecretName = bySecret.get(app + "/" + name);
        if (bySecretName != null) {
            return new PublishDecision.Allowed(bySecretName, secrets.get(bySecretName));
        }
        if (expected != null) {
            return new PublishDecision.Refused("missing stream key for " + key);
        }
        // The name may be a mistyped secret: do not echo it.
        return new PublishDecision.Refused("unknown stream or stream key");
    }

    private static String queryParameter(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "StreamKeyAuthorizer[" + (isOpen() ? "open" : secrets.size() + " keys") + "]";
    }
}
