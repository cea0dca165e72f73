package io.estuary.packager.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.keys.DrmPolicy;
import io.estuary.packager.drm.keys.KeyProviderType;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DrmConfigTest {

    private static final String KEY = "00112233445566778899aabbccddeeff";
    private static final String KID = "0123456789abcdef0123456789abcdef";

    private static DrmConfig read(String hocon) {
        return DrmConfig.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference())
                .resolve());
    }

    @Test
    void emptyConfigGivesTheDefaults() {
        DrmConfig config = DrmConfig.from(ConfigFactory.defaultReference());
        assertEquals(DrmConfig.defaults(), config);
        DrmPolicy policy = config.policyFor(new StreamKey("live", "any"));
        assertFalse(policy.enabled());
        assertEquals(EncryptionScheme.CENC, policy.scheme());
        assertEquals(List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY), policy.systems());
        assertEquals(KeyProviderType.GENERATED, policy.keyProvider());
        assertEquals(Map.of(), policy.licenseUrls());
    }

    @Test
    void aStreamsOverrideBeatsItsAppsWhichBeatsTheTopLevel() {
        DrmConfig config = read("""
                estuary.drm {
                  license-urls.widevine = "https://wv.example/top"
                  license-urls.playready = "https://pr.example/top"
                  overrides {
                    live { enabled = true, license-urls.playready = "https://pr.example/live" }
                    "live/premium" { scheme = cbcs, systems = [widevine, fairplay], license-urls.fairplay = "skd://k" }
                    "live/my.show" { key-provider = static }
                    "other/one" { enabled = true }
                  }
                }
                """);
        DrmPolicy top = config.policyFor(new StreamKey("vod", "x"));
        assertFalse(top.enabled());
        assertEquals("https://pr.example/top", top.licenseUrls().get(DrmSystem.PLAYREADY));

        DrmPolicy app = config.policyFor(new StreamKey("live", "plain"));
        assertTrue(app.enabled());
        assertEquals(EncryptionScheme.CENC, app.scheme());
        assertEquals(Map.of(DrmSystem.WIDEVINE, "https://wv.example/top", DrmSystem.PLAYREADY,
                "https://pr.example/live"), app.licenseUrls());

        DrmPolicy stream = config.policyFor(new StreamKey("live", "premium"));
        assertTrue(stream.enabled(), "the app's enabled = true reaches its streams' overrides");
        assertEquals(EncryptionScheme.CBCS, stream.scheme());
        assertEquals(List.of(DrmSystem.WIDEVINE, DrmSystem.FAIRPLAY), stream.systems());
        assertEquals(Map.of(DrmSystem.WIDEVINE, "https://wv.example/top", DrmSystem.PLAYREADY,
                "https://pr.example/live", DrmSystem.FAIRPLAY, "skd://k"), stream.licenseUrls());

        DrmPolicy dotted = config.policyFor(new StreamKey("live", "my.show"));
        assertEquals(KeyProviderType.STATIC, dotted.keyProvider());
        assertTrue(dotted.enabled());
        // A stream override without an app override falls back on the top level.
        assertTrue(config.policyFor(new StreamKey("other", "one")).enabled());
        assertFalse(config.policyFor(new StreamKey("other", "two")).enabled());
    }

    @Test
    void staticKeysResolvePerStreamThenPerApp() {
        DrmConfig config = read("""
                estuary.drm.static-keys {
                  live { kid = "%s", key = "%s", iv = "%s" }
                  "live/premium" { kid = "6c5f5206-6f0e-4a2b-8b3b-1f9d3c2a7e10", key = "%s" }
                }
                """.formatted(KID, KEY, KEY, KID));
        ContentKey app = config.staticKeyFor(new StreamKey("live", "x")).orElseThrow();
        assertEquals(KID, app.kidHex());
        assertArrayEquals(HexFormat.of().parseHex(KEY), app.key());
        assertArrayEquals(HexFormat.of().parseHex(KEY), app.iv());
        ContentKey stream = config.staticKeyFor(new StreamKey("live", "premium")).orElseThrow();
        assertEquals("6c5f5206-6f0e-4a2b-8b3b-1f9d3c2a7e10", stream.kidUuid().toString());
        assertEquals(16, stream.iv().length, "a left-out IV is drawn at random");
        assertTrue(config.staticKeyFor(new StreamKey("vod", "x")).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            scheme = cens                                          | estuary.drm.scheme
            systems = [clearkey, marlin]                           | estuary.drm.systems
            systems = [widevine, widevine]                         | estuary.drm.systems
            enabled = true, systems = []                           | estuary.drm.systems
            systems = [fairplay]                                   | estuary.drm.systems
            key-provider = vault                                   | estuary.drm.key-provider
            key-provider = cpix                                    | estuary.drm.cpix.url
            overrides.live.key-provider = cpix                     | estuary.drm.cpix.url
            cpix.url = "ftp://keys.example/cpix"                   | estuary.drm.cpix.url
            cpix.timeout = 0s                                      | estuary.drm.cpix.timeout
            cpix.cache-size = 0                                    | estuary.drm.cpix.cache-size
            cpix.auth-header-name = "Bad Name"                     | estuary.drm.cpix.auth-header-name
            license-urls.widevine = "not a url"                    | estuary.drm.license-urls.widevine
            license-urls.fairplay = "no-scheme"                    | estuary.drm.license-urls.fairplay
            license-urls.marlin = "https://x.example"              | estuary.drm.license-urls.marlin
            overrides.live.sheme = cbcs                            | estuary.drm.overrides.live.sheme
            overrides.live = true                                  | estuary.drm.overrides.live
            overrides."live/premium".systems = [fairplay]          | estuary.drm.overrides."live/premium".systems
            overrides."a/b/c".enabled = true                       | estuary.drm.overrides."a/b/c"
            static-keys."live/x" { kid = "KID", key = "abc" }      | estuary.drm.static-keys."live/x".key
            static-keys."live/x" { kid = "12345", key = "KEY" }    | estuary.drm.static-keys."live/x".kid
            static-keys."live/x" { kid = "KID", key = "KEY", iv = "00" } | estuary.drm.static-keys."live/x".iv
            static-keys."live/x" { kid = "KID" }                   | estuary.drm.static-keys."live/x".key
            static-keys."live/x" { kid = "KID", key = "KEY", ivv = "x" } | estuary.drm.static-keys."live/x".ivv
            static-keys { a { kid = "KID", key = "KEY" }, b { kid = "KID", key = "KID" } } | estuary.drm.static-keys
            """)
    void aBadValueNamesItsKey(String hocon, String key) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read("estuary.drm { " + hocon.replace("KID", KID).replace("KEY", KEY) + " }"));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), "the message repeats a key: " + e.getMessage());
    }

    @Test
    void toStringShowsNoSecret() {
        String token = "license-token-4711";
        String auth = "Bearer cpix-secret-0815";
        DrmConfig config = read("""
                estuary.drm {
                  static-keys.live { kid = "%s", key = "%s", iv = "%s" }
                  license.token = "%s"
                  cpix { url = "https://kms.example/cpix/getKey/api-token-42", auth-header = "%s" }
                }
                """.formatted(KID, KEY, "ffeeddccbbaa99887766554433221100", token, auth));
        String text = config.toString();
        assertTrue(text.contains(KID), "key IDs are not secret and help: " + text);
        for (String secret : List.of(KEY, "ffeeddccbbaa99887766554433221100", token, "cpix-secret-0815",
                "api-token-42")) {
            assertFalse(text.contains(secret), secret + " in " + text);
        }
        assertFalse(config.cpix().toString().contains("cpix-secret-0815"));
        assertTrue(config.cpix().toString().contains("https://kms.example/..."), config.cpix().toString());
    }
}
