package io.estuary.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RtmpConfigTest {

    @Test
    void emptyConfigGivesDefaults() {
        assertEquals(new RtmpConfig(1935, 8 * 1024 * 1024, 4096, 2_500_000, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 1000), RtmpConfig.defaults());
    }

    @Test
    void overridesAndBadValues() {
        RtmpConfig c = RtmpConfig.from(ConfigFactory.parseString("estuary.rtmp { port = 1936, chunk-size = 60000 }"));
        assertEquals(1936, c.port());
        assertEquals(60000, c.outChunkSize());
        ConfigException e = assertThrows(ConfigException.BadValue.class,
                () -> RtmpConfig.from(ConfigFactory.parseString("estuary.rtmp.max-message-size = 64MiB")));
        assertTrue(e.getMessage().contains("estuary.rtmp.max-message-size"), e.getMessage());
        e = assertThrows(ConfigException.BadValue.class,
                () -> RtmpConfig.from(ConfigFactory.parseString("estuary.rtmp.port = 70000")));
        assertTrue(e.getMessage().contains("estuary.rtmp.port"), e.getMessage());
    }
}
