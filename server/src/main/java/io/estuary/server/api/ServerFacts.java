package io.estuary.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code /api/v1/server} tells about this server: fixed once its listeners are bound.
 *
 * @param config the {@code estuary.*} configuration in effect, secrets masked ({@link #maskedConfig})
 */
public record ServerFacts(String version, Instant startedAt, String httpAddress, boolean tls, String rtmpAddress,
        int rtmpPort, JsonNode config) {

    static final String MASK = "******";

    /**
     * The effective {@code estuary} configuration as JSON, with every secret replaced by {@value #MASK}: the
     * stream keys' secrets, DRM content keys and the CPIX server's address and credentials (vendors put tokens in
     * URLs), and any value whose key names a token, secret or password.
     */
    public static JsonNode maskedConfig(Config root, ObjectMapper json) {
        try {
            JsonNode tree = json.readTree(root.getConfig("estuary").root().render(ConfigRenderOptions.concise()));
            if (tree.path("publish").path("keys") instanceof ObjectNode keys) {
                keys.fieldNames().forEachRemaining(name -> keys.set(name, TextNode.valueOf(MASK)));
            }
            if (tree.path("drm").path("cpix") instanceof ObjectNode cpix && !cpix.path("url").asText().isEmpty()) {
                cpix.set("url", TextNode.valueOf(MASK));
            }
            mask(tree);
            return tree;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("configuration does not render as JSON", e);
        }
    }

    private static void mask(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().toLowerCase(Locale.ROOT);
            boolean secret = name.contains("token") || name.contains("secret") || name.contains("password")
                    || name.equals("key") || name.equals("auth-header");
            if (secret && e.getValue().isValueNode() && !e.getValue().asText().isEmpty()) {
                e.setValue(TextNode.valueOf(MASK));
            } else {
                mask(e.getValue());
            }
        }
    }
}
