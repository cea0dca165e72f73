package io.estuary.protocols.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.ice4j.StackProperties;
import org.ice4j.ice.AgentConfig;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.junit.jupiter.api.Test;

/** The settings reach ice4j's own configuration objects, with no config file. */
class Ice4jSettingsTest {

    @Test
    void ice4jSeesEstuarysSettings() {
        Ice4jSettings.applyOnce();
        HarvestConfig harvest = HarvestConfig.config;
        assertFalse(harvest.enableAwsHarvester());
        assertEquals(List.of(), harvest.stunMappingCandidateHarvesterAddresses());
        assertFalse(harvest.useLinkLocalAddresses());
        assertEquals(1, harvest.udpSocketPoolSize());
        assertFalse(harvest.useDynamicPorts());
        assertEquals(Duration.ofSeconds(5), AgentConfig.config.getConsentFreshnessInterval());
        assertEquals(0, MappingCandidateHarvesters.getHarvesters().length);
        assertTrue(AbstractUdpListener.USE_PUSH_API);
        assertTrue(Boolean.getBoolean(StackProperties.REQUIRE_MESSAGE_INTEGRITY));
    }
}
