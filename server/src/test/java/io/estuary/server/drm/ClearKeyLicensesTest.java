package io.estuary.server.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.estuary.packager.drm.ContentKey;
import io.estuary.server.auth.BearerAuth;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClearKeyLicensesTest {

    static final ContentKey A = key("0123456789abcdef0123456789abcdef", "00112233445566778899aabbccddeeff");
    static final ContentKey B = key("fedcba9876543210fedcba9876543210", "ffeeddccbbaa99887766554433221100");
    static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 40000);
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);

    final ObjectMapper json = new ObjectMapper();
    final ClearKeyLicenses licenses = new ClearKeyLicenses(new BearerAuth("s3cret", "the license token",
            "estuary.drm.license.token"), kid -> List.of(A, B).stream()
            .filter(k -> Arrays.equals(k.kid(), kid)).findFirst());

    static ContentKey key(String kid, String key) {
        return new ContentKey(HexFormat.of().parseHex(kid), HexFormat.of().parseHex(key), new byte[16]);
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    ClearKeyLicenses.Response post(String body, String authorization) {
        return licenses.handle(new ClearKeyLicenses.Request("POST", "/drm/clearkey/license",
                body.getBytes(StandardCharsets.UTF_8), authorization, REMOTE));
    }

    JsonNode body(ClearKeyLicenses.Response r) throws Exception {
        return json.readTree(r.body());
    }

    @Test
    void aLicenseHoldsExactlyTheKeysAskedFor() throws Exception {
        ClearKeyLicenses.Response r = post("{\"kids\":[\"" + b64(A.kid()) + "\"],\"type\":\"temporary\"}",
                "Bearer s3cret");
        assertEquals(200, r.status());
        assertEquals("application/json", r.contentType());
        JsonNode keys = body(r).get("keys");
        assertEquals(1, keys.size(), "only the key asked for: " + body(r));
        assertEquals("oct", keys.get(0).get("kty").asText());
        assertEquals(b64(A.kid()), keys.get(0).get("kid").asText());
        assertArrayEquals(A.key(), Base64.getUrlDecoder().decode(keys.get(0).get("k").asText()));
        assertEquals("temporary", body(r).get("type").asText());
        assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("="), "base64url without padding");
    }

    @Test
    void withoutTheTokenA401WithItsChallenge() throws Exception {
        String request = "{\"kids\":[\"" + b64(A.kid()) + "\"]}";
        for (String authorization : new String[] {null, "Bearer wrong", "Basic czNjcmV0", "Bearer "}) {
            ClearKeyLicenses.Response r = post(request, authorization);
            assertEquals(401, r.status(), String.valueOf(authorization));
            assertEquals(BearerAuth.CHALLENGE, r.wwwAuthenticate());
            assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains(b64(A.key())));
        }
    }

    @Test
    void unknownKeyIdsAreRefusedAndOnlyKnownOnesHandedOut() throws Exception {
        byte[] unknown = HexFormat.of().parseHex("11111111111111111111111111111111");
        ClearKeyLicenses.Response r = post("{\"kids\":[\"" + b64(unknown) + "\"]}", "Bearer s3cret");
        assertEquals(404, r.status());
        assertTrue(body(r).get("error").asText().contains("11111111111111111111111111111111"));
        ClearKeyLicenses.Response mixed = post("{\"kids\":[\"" + b64(unknown) + "\",\"" + b64(B.kid()) + "\"]}",
                "Bearer s3cret");
        assertEquals(200, mixed.status());
        assertEquals(1, body(mixed).get("keys").size());
        assertEquals(b64(B.kid()), body(mixed).get("keys").get(0).get("kid").asText());
    }

    @Test
    void malformedRequestsGet400WithTheReason() throws Exception {
        for (String bad : new String[] {"", "not json", "{}", "{\"kids\":[]}", "{\"kids\":\"x\"}",
                "{\"kids\":[\"AAAA\"]}", "{\"kids\":[7]}", "{\"kids\":[\"!!\"]}"}) {
            ClearKeyLicenses.Response r = post(bad, "Bearer s3cret");
            assertEquals(400, r.status(), bad);
            assertTrue(body(r).get("error").asText().startsWith("not a ClearKey license request"), bad);
        }
        StringBuilder many = new StringBuilder("{\"kids\":[");
        for (int i = 0; i < 17; i++) {
            many.append(i > 0 ? "," : "").append('"').append(b64(A.kid())).append('"');
        }
        assertEquals(400, post(many.append("]}").toString(), "Bearer s3cret").status());
        assertEquals(413, post("{\"kids\":[\"" + "A".repeat(5000) + "\"]}", "Bearer s3cret").status());
    }

    @Test
    void theRawKeyEndpointServesHlsClearKey() {
        ClearKeyLicenses.Response r = licenses.handle(new ClearKeyLicenses.Request("GET",
                "/drm/clearkey/keys/" + A.kidHex(), new byte[0], "Bearer s3cret", REMOTE));
        assertEquals(200, r.status());
        assertArrayEquals(A.key(), r.body());
        assertEquals(404, licenses.handle(new ClearKeyLicenses.Request("GET",
                "/drm/clearkey/keys/22222222222222222222222222222222", new byte[0], "Bearer s3cret", REMOTE)).status());
        assertEquals(400, licenses.handle(new ClearKeyLicenses.Request("GET", "/drm/clearkey/keys/zz",
                new byte[0], "Bearer s3cret", REMOTE)).status());
        assertEquals(401, licenses.handle(new ClearKeyLicenses.Request("GET",
                "/drm/clearkey/keys/" + A.kidHex(), new byte[0], null, REMOTE)).status());
        assertEquals(405, licenses.handle(new ClearKeyLicenses.Request("POST",
                "/drm/clearkey/keys/" + A.kidHex(), new byte[0], "Bearer s3cret", REMOTE)).status());
        assertEquals(405, licenses.handle(new ClearKeyLicenses.Request("GET", "/drm/clearkey/license",
                new byte[0], "Bearer s3cret", REMOTE)).status());
    }

    @Test
    void withoutAConfiguredTokenOnlyLocalClients() {
        ClearKeyLicenses open = new ClearKeyLicenses(new BearerAuth("", "the license token",
                "estuary.drm.license.token"), kid -> Optional.of(A));
        ClearKeyLicenses.Response remote = open.handle(new ClearKeyLicenses.Request("GET",
                "/drm/clearkey/keys/" + A.kidHex(), new byte[0], null, REMOTE));
        assertEquals(403, remote.status());
        assertNull(remote.wwwAuthenticate());
        assertTrue(new String(remote.body(), StandardCharsets.UTF_8).contains("estuary.drm.license.token"));
        assertEquals(200, open.handle(new ClearKeyLicenses.Request("GET", "/drm/clearkey/keys/" + A.kidHex(),
                new byte[0], null, LOCAL)).status());
    }
}
