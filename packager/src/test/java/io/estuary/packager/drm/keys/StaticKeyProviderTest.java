package io.estuary.packager.drm.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmConfig;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StaticKeyProviderTest {

    private final DrmConfig config = DrmConfig.from(ConfigFactory.parseString("""
            estuary.drm.static-keys {
              live { kid = "11111111111111111111111111111111", key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }
              "live/premium" { kid = "22222222222222222222222222222222", key = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                               iv = "cccccccccccccccccccccccccccccccc" }
            }
            """).withFallback(ConfigFactory.defaultReference()).resolve());
    private final StaticKeyProvider provider = new StaticKeyProvider(config);

    private ContentKey key(String app, String name) throws Exception {
        return provider.keyFor(new StreamKey(app, name), config.policyFor(new StreamKey(app, name)))
                .get(1, TimeUnit.SECONDS).key();
    }

    @Test
    void aStreamsOwnKeyBeatsItsAppsKey() throws Exception {
        ContentKey premium = key("live", "premium");
        assertEquals("22222222222222222222222222222222", premium.kidHex());
        assertEquals("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", HexFormat.of().formatHex(premium.key()));
        assertEquals("cccccccccccccccccccccccccccccccc", HexFormat.of().formatHex(premium.iv()));
        ContentKey other = key("live", "other");
        assertEquals("11111111111111111111111111111111", other.kidHex());
        assertEquals("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", HexFormat.of().formatHex(other.key()));
        assertEquals(other, key("live", "other"), "the same key, IV included, on a republish");
    }

    @Test
    void aStreamWithoutAKeyFailsAndSaysWhatToConfigure() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> key("vod", "film"));
        assertInstanceOf(KeyProviderException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("no static key for vod/film"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("estuary.drm.static-keys.\"vod/film\""),
                e.getCause().getMessage());
    }
}
