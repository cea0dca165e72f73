package io.estuary.packager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class PackagerConfigTest {

    @Test
    void emptyConfigGivesTheDefaults() {
        assertEquals(PackagerConfig.defaults(), PackagerConfig.from(ConfigFactory.defaultReference()));
    }

    @Test
    void aBadValueNamesItsKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> PackagerConfig.from(
                ConfigFactory.parseString("estuary.packager.part-target = 50ms")
                        .withFallback(ConfigFactory.defaultReference())));
        assertTrue(e.getMessage().contains("estuary.packager.part-target"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> PackagerConfig.from(
                ConfigFactory.parseString("estuary.packager.segment-target = 100ms")
                        .withFallback(ConfigFactory.defaultReference())));
        assertTrue(e.getMessage().contains("estuary.packager.segment-target"), e.getMessage());
    }
}
