package io.estuary.packager.drm.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmConfig;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import io.estuary.packager.drm.StreamProtection;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamKeysTest {

    private static final String STATIC_KEY = "5f4dcc3b5aa765d61d8327deb882cf99";

    private final DrmConfig config = DrmConfig.from(ConfigFactory.parseString("""
            estuary.drm {
              license-urls.widevine = "https://wv.example/license"
              static-keys.vod { kid = "33333333333333333333333333333333", key = "%s" }
              overrides {
                live { enabled = true }
                "live/premium" { scheme = cbcs, systems = [widevine, fairplay], license-urls.fairplay = "skd://p" }
                vod { enabled = true, key-provider = static }
                "vod/unused" { enabled = false }
                vendor { enabled = true, key-provider = cpix }
                keyless { enabled = true, key-provider = static }
              }
              cpix.url = "https://kms.example/cpix"
            }
            """.formatted(STATIC_KEY)).withFallback(ConfigFactory.defaultReference()).resolve());
    private final StreamKeys keys = new StreamKeys(config, Map.of(
            KeyProviderType.STATIC, new StaticKeyProvider(config),
            KeyProviderType.GENERATED, new GeneratedKeyProvider(new InMemoryKeyStore())), 1000);

    private Optional<StreamProtection> protection(String app, String name) throws Exception {
        return keys.protectionFor(new StreamKey(app, name)).get(1, TimeUnit.SECONDS);
    }

    @Test
    void aStreamWithDrmOffHasNoProtection() throws Exception {
        assertTrue(protection("other", "x").isEmpty());
        assertTrue(protection("vod", "unused").isEmpty());
    }

    @Test
    void theProtectionFollowsTheStreamsPolicy() throws Exception {
        StreamProtection live = protection("live", "x").orElseThrow();
        assertEquals(EncryptionScheme.CENC, live.scheme());
        assertEquals(List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY), live.systems());
        assertEquals(Map.of(DrmSystem.WIDEVINE, "https://wv.example/license"), live.licenseUrls());

        StreamProtection premium = protection("live", "premium").orElseThrow();
        assertEquals(EncryptionScheme.CBCS, premium.scheme());
        assertEquals(List.of(DrmSystem.WIDEVINE, DrmSystem.FAIRPLAY), premium.systems());
        assertEquals("skd://p", premium.licenseUrl(DrmSystem.FAIRPLAY));
        assertNotEquals(live.key().kidHex(), premium.key().kidHex());

        assertEquals(live.key(), protection("live", "x").orElseThrow().key(), "a republish keeps its key");
        assertEquals("33333333333333333333333333333333", protection("vod", "film").orElseThrow().key().kidHex());
    }

    @Test
    void theLicenseLookUpFindsOnlyKeysHandedOut() throws Exception {
        byte[] staticKid = HexFormat.of().parseHex("33333333333333333333333333333333");
        assertTrue(keys.keyById(staticKid).isEmpty(), "a configured key no stream has used yet stays unknown");

        ContentKey live = protection("live", "x").orElseThrow().key();
        assertEquals(Optional.of(live), keys.keyById(live.kid()));
        protection("vod", "film");
        assertEquals(STATIC_KEY, HexFormat.of().formatHex(keys.keyById(staticKid).orElseThrow().key()));

        assertTrue(keys.keyById(KeyBytes.random16()).isEmpty());
        assertTrue(keys.keyById(new byte[8]).isEmpty());
        assertTrue(keys.keyById(null).isEmpty());
    }

    @Test
    void noKeyMeansAFailedStreamNotAClearOne() {
        ExecutionException missing = assertThrows(ExecutionException.class,
                () -> keys.protectionFor(new StreamKey("keyless", "x")).get(1, TimeUnit.SECONDS));
        assertInstanceOf(KeyProviderException.class, missing.getCause());
        assertTrue(missing.getCause().getMessage().contains("no static key for keyless/x"),
                missing.getCause().getMessage());
        ExecutionException noCpix = assertThrows(ExecutionException.class,
                () -> keys.protectionFor(new StreamKey("vendor", "x")).get(1, TimeUnit.SECONDS));
        assertInstanceOf(KeyProviderException.class, noCpix.getCause());
        assertTrue(noCpix.getCause().getMessage().contains("no cpix key provider"), noCpix.getCause().getMessage());
    }

    @Test
    void aKeyIdAlreadyInUseWithAnotherKeyIsRefused() throws Exception {
        ContentKey first = KeyBytes.randomKey();
        ContentKey impostor = new ContentKey(first.kid(), KeyBytes.random16(), first.iv());
        StreamKeys clashing = new StreamKeys(config, Map.of(KeyProviderType.GENERATED,
                (KeyProvider) (stream, policy) -> CompletableFuture.completedFuture(ProvidedKey.of(
                        stream.name().equals("one") ? first : impostor))), 1000);
        assertEquals(first, clashing.protectionFor(new StreamKey("live", "one")).get().orElseThrow().key());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> clashing.protectionFor(new StreamKey("live", "two")).get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("already in use with another key"), e.getCause().getMessage());
        assertEquals(Optional.of(first), clashing.keyById(first.kid()));
    }

    @Test
    void signallingFromTheProviderIsKeptPerStream() throws Exception {
        DrmSignalling widevine = new DrmSignalling(DrmSystem.WIDEVINE, "AAAAIHBzc2g=", null, null, Map.of());
        StreamKeys withSignalling = new StreamKeys(config, Map.of(KeyProviderType.GENERATED,
                (KeyProvider) (stream, policy) -> CompletableFuture.completedFuture(new ProvidedKey(
                        KeyBytes.randomKey(), Map.of(DrmSystem.WIDEVINE, widevine)))), 1000);
        StreamKey stream = new StreamKey("live", "x");
        assertEquals(Map.of(), withSignalling.signallingFor(stream));
        withSignalling.protectionFor(stream).get(1, TimeUnit.SECONDS);
        assertEquals(Map.of(DrmSystem.WIDEVINE, widevine), withSignalling.signallingFor(stream));
    }

    @Test
    void noKeyShowsInToStringOrLogs() throws Exception {
        try (LogCapture log = new LogCapture()) {
            StreamProtection live = protection("live", "x").orElseThrow();
            StreamProtection vod = protection("vod", "film").orElseThrow();
            for (ContentKey key : List.of(live.key(), vod.key())) {
                String hex = HexFormat.of().formatHex(key.key());
                String base64 = Base64.getEncoder().encodeToString(key.key());
                for (Object o : List.of(live, vod, ProvidedKey.of(key), config, config.policyFor(
                        new StreamKey("vod", "film")))) {
                    assertFalse(o.toString().contains(hex), o.toString());
                    assertFalse(o.toString().contains(base64), o.toString());
                }
                assertFalse(log.lines().isEmpty());
                for (String line : log.lines()) {
                    assertFalse(line.contains(hex) || line.contains(base64), line);
                }
            }
            assertTrue(log.lines().stream().anyMatch(l -> l.contains(live.key().kidHex())),
                    "the key ID is logged, to match a player's license request: " + log.lines());
        }
    }
}
