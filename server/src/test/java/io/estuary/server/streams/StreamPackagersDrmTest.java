package io.estuary.server.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.drm.DrmConfig;
import io.estuary.packager.drm.keys.StreamKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A stream that should be encrypted but has no key is never packaged in the clear: its publisher is dropped. */
class StreamPackagersDrmTest {

    @Test
    void aStreamWithoutItsKeyIsDroppedNotServedClear() throws Exception {
        Config config = ConfigFactory.parseMap(Map.of("estuary.drm.overrides", Map.of(
                "live/premium", Map.of("enabled", true, "key-provider", "static")))).withFallback(ConfigFactory.load());
        StreamRegistry registry = new StreamRegistry();
        try (StreamPackagers packagers = new StreamPackagers(PackagerConfig.from(config), StreamsConfig.from(config),
                Clock.systemUTC(), nanos -> { }, StreamKeys.create(DrmConfig.from(config)))) {
            registry.addListener(packagers);
            List<String> disconnects = new CopyOnWriteArrayList<>();
            LiveStream premium = registry.publish(new StreamKey("live", "premium"),
                    new PublisherInfo("rtmp", "10.0.0.1", 5000, null), disconnects::add);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !disconnects.isEmpty());
            assertEquals(List.of("no content key for an encrypted stream"), disconnects);
            assertFalse(premium.isLive());
            assertTrue(packagers.hls(premium.key()).isEmpty(), "nothing was packaged");
            // A clear stream next to it packages as ever.
            List<String> none = new CopyOnWriteArrayList<>();
            LiveStream clear = registry.publish(new StreamKey("live", "open"),
                    new PublisherInfo("rtmp", "10.0.0.2", 5000, null), none::add);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> packagers.hls(clear.key()).isPresent());
            assertTrue(none.isEmpty());
        }
    }
}
