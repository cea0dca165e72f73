package io.estuary.server.drm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmSignals;
import io.estuary.server.auth.BearerAuth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's ClearKey key delivery, for the keys it encrypts with:
 * <ul>
 *   <li>{@code POST /drm/clearkey/license}: the W3C EME ClearKey license exchange (EME 9.1.3/9.1.4): a JSON
 *       request {@code {"kids":["base64url",...],"type":"temporary"}} answered with a JWK set
 *       {@code {"keys":[{"kty":"oct","kid":"...","k":"..."}],"type":"temporary"}} holding only the keys asked
 *       for.</li>
 *   <li>{@code GET /drm/clearkey/keys/KIDHEX}: the 16-byte key itself, for HLS ClearKey ({@code identity} key
 *       format), which fetches key URIs rather than licenses.</li>
 * </ul>
 * Both answer only authorised clients (the license token as a Bearer token; without a configured token, clients on
 * this machine), and only keys this server handed to a stream. Keys never reach a log line: refusals are logged
 * with the key ID and the reason.
 */
public final class ClearKeyLicenses {
    private static final Logger log = LoggerFactory.getLogger(ClearKeyLicenses.class);

    /** A license request names the keys of one track, maybe of a few; more is not a player. */
    static final int MAX_KIDS = 16;
    public static final int MAX_BODY = 4096;

    /** What the router needs from a request. */
    public record Request(String method, String path, byte[] body, String authorization, InetSocketAddress remote) {
    }

    /**
     * The answer: a JSON error for refusals, the JWK set or the raw key otherwise.
     *
     * @param wwwAuthenticate the challenge of a 401, else null
     */
    public record Response(int status, String contentType, byte[] body, String wwwAuthenticate) {
    }

    private final BearerAuth auth;
    private final Function<byte[], Optional<ContentKey>> keys;
    private final ObjectMapper json = new ObjectMapper();

    /** @param keys the key of a key ID, only for keys this server handed to a stream */
    public ClearKeyLicenses(BearerAuth auth, Function<byte[], Optional<ContentKey>> keys) {
        this.auth = auth;
        this.keys = keys;
    }

    /** Whether a path is one of these endpoints (they live outside the stream URL space). */
    public static boolean handles(String path) {
        return path.equals(DrmSignals.CLEARKEY_LICENSE_PATH) || path.startsWith(DrmSignals.CLEARKEY_KEY_PATH);
    }

    public Response handle(Request request) {
        boolean license = request.path().equals(DrmSignals.CLEARKEY_LICENSE_PATH);
        String expected = license ? "POST" : "GET";
        if (!request.method().equals(expected) && !(!license && request.method().equals("HEAD"))) {
            return error(405, "use " + expected + " on " + request.path());
        }
        BearerAuth.Verdict verdict = auth.check(request.authorization(), request.remote());
        if (!verdict.allowed()) {
            log.info("ClearKey request from {} refused: {}", request.remote(), verdict.message());
            Response r = error(verdict.status(), verdict.message());
            return verdict.status() == 401 ? new Response(401, r.contentType(), r.body(), BearerAuth.CHALLENGE) : r;
        }
        return license ? license(request) : rawKey(request);
    }

    private Response license(Request request) {
        if (request.body().length > MAX_BODY) {
            return error(413, "a license request is at most " + MAX_BODY + " bytes");
        }
        List<byte[]> kids;
        try {
            kids = kids(json.readTree(request.body()));
        } catch (IOException | IllegalArgumentException e) {
            return error(400, "not a ClearKey license request: " + e.getMessage());
        }
        Map<String, ContentKey> found = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (byte[] kid : kids) {
            Optional<ContentKey> key = keys.apply(kid);
            if (key.isPresent()) {
                found.put(base64Url(kid), key.get());
            } else {
                unknown.add(HexFormat.of().formatHex(kid));
            }
        }
        if (found.isEmpty()) {
            log.info("ClearKey license for {} from {} refused: unknown key IDs", unknown, request.remote());
            return error(404, "unknown key IDs: " + String.join(", ", unknown));
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("keys");
        found.forEach((kid, key) -> list.addObject().put("kty", "oct").put("kid", kid)
                .put("k", base64Url(key.key())));
        body.put("type", "temporary");
        log.debug("ClearKey license for {} key(s) to {}", found.size(), request.remote());
        return new Response(200, "application/json", body.toString().getBytes(StandardCharsets.UTF_8), null);
    }

    private Response rawKey(Request request) {
        String hex = request.path().substring(DrmSignals.CLEARKEY_KEY_PATH.length());
        if (!hex.matches("[0-9a-fA-F]{32}")) {
            return error(400, "a key ID is 32 hex digits: " + truncate(hex));
        }
        Optional<ContentKey> key = keys.apply(HexFormat.of().parseHex(hex));
        if (key.isEmpty()) {
            log.info("ClearKey key {} for {} refused: unknown key ID", hex, request.remote());
            return error(404, "unknown key ID " + hex);
        }
        return new Response(200, "application/octet-stream", key.get().key(), null);
    }

    /** The request's key IDs: a "kids" array of 1 to 16 base64url strings of 16 bytes each. */
    static List<byte[]> kids(JsonNode request) {
        JsonNode kids = request.get("kids");
        if (kids == null || !kids.isArray() || kids.isEmpty() || kids.size() > MAX_KIDS) {
            throw new IllegalArgumentException("\"kids\" must be an array of 1 to " + MAX_KIDS + " key IDs");
        }
        List<byte[]> out = new ArrayList<>();
        for (JsonNode k : kids) {
            byte[] kid = k.isTextual() ? Base64.getUrlDecoder().decode(k.asText()) : new byte[0];
            if (kid.length != 16) {
                throw new IllegalArgumentException("a key ID is 16 bytes in base64url: " + truncate(k.toString()));
            }
            out.add(kid);
        }
        return out;
    }

    private Response error(int status, String message) {
        ObjectNode body = json.createObjectNode().put("error", message);
        return new Response(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8), null);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
