package io.estuary.protocols.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IceConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        IceConfig d = IceConfig.defaults();
        assertEquals(8189, d.port());
        assertEquals(List.of(), d.hostAddresses());
        assertEquals(Optional.empty(), d.publicAddress());
        assertEquals(Duration.ofSeconds(10), d.connectTimeout());
        assertEquals(Duration.ofSeconds(30), d.consentTimeout());
    }

    @Test
    void refusesImpossibleValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new IceConfig(65536, List.of(), Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new IceConfig(1, List.of(), Optional.empty(), Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new IceConfig(1, List.of(), Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    }
}
