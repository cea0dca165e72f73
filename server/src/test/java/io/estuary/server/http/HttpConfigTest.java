package io.estuary.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpConfigTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void emptyConfigGivesTheDefaults() {
        HttpConfig config = HttpConfig.from(ConfigFactory.defaultReference());
        assertEquals(8080, config.port());
        assertEquals("0.0.0.0", config.host());
        assertFalse(config.tlsEnabled());
        assertEquals("*", config.corsAllowOrigin());
        assertEquals(Duration.ofSeconds(6), config.blockingTimeout());
    }

    @Test
    void aFileOverridesTheDefaults() {
        HttpConfig config = HttpConfig.from(with("estuary.http { port = 9090, playlist-max-age = 2s }"));
        assertEquals(9090, config.port());
        assertEquals(Duration.ofSeconds(2), config.playlistMaxAge());
    }

    @Test
    void aBadValueNamesItsKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HttpConfig.from(with("estuary.http.port = 70000")));
        assertTrue(e.getMessage().contains("estuary.http.port"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> HttpConfig.from(with("estuary.http.blocking-request-timeout = soon")));
        assertTrue(e.getMessage().contains("blocking-request-timeout"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> HttpConfig.from(with("estuary.http.tls.certificate-file = /nonexistent/cert.pem")));
        assertTrue(e.getMessage().contains("estuary.http.tls.certificate-file"), e.getMessage());
    }
}
