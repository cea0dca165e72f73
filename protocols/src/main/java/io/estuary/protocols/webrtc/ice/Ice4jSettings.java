package io.estuary.protocols.webrtc.ice;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ice4j.StackProperties;
import org.ice4j.ice.Agent;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.jitsi.config.JitsiConfig;
import org.jitsi.config.TypesafeConfigSource;

/**
 * The process-wide ice4j settings Estuary needs, installed once before ice4j reads any of them (ice4j keeps its
 * configuration in static singletons). No config file is needed; {@code -Dice4j.*} system properties still win, for an
 * operator who knows ice4j.
 */
final class Ice4jSettings {

    private static boolean applied;
    /**
     * The java.util.logging loggers of ice4j and jitsi, held here: java.util.logging keeps loggers weakly, and a
     * level set on one that is collected is lost.
     */
    private static final Logger ICE4J_LOGGER = Logger.getLogger("org.ice4j");
    private static final Logger JITSI_LOGGER = Logger.getLogger("org.jitsi");
    /** jitsi's config holder logs under its simple name. */
    private static final Logger JITSI_CONFIG_LOGGER = Logger.getLogger("JitsiConfig");

    private Ice4jSettings() {
    }

    static synchronized void applyOnce() {
        if (applied) {
            return;
        }
        routeLogging();
        Config ours = ConfigFactory.parseMap(Map.of(
                // The AWS harvester probes 169.254.169.254 over HTTP at start-up; STUN mapping asks outside servers.
                // We advertise the configured public address ourselves (IceService), per service, not per JVM.
                "ice4j.harvest.mapping.aws.enabled", false,
                "ice4j.harvest.mapping.stun.addresses", List.of(),
                "ice4j.harvest.mapping.static-mappings", List.of(),
                // fe80:: addresses are scoped to a link and useless to a remote publisher.
                "ice4j.harvest.use-link-local-addresses", false,
                // A pool of more than one socket sets SO_REUSEADDR, and a second server on the same port would then
                // bind silently and steal datagrams: with one socket a taken port fails to bind, as it should.
                "ice4j.harvest.udp.socket-pool-size", 1,
                // Sessions use the muxed port only, never an ephemeral port per session.
                "ice4j.harvest.udp.use-dynamic-ports", false,
                // RFC 7675 section 5.1: a consent check every 5 s (ice4j randomizes it by +-20 %, as the RFC asks).
                "ice4j.consent-freshness.interval", "5 seconds"),
                "Estuary's ice4j settings");
        Config config = ConfigFactory.systemProperties()
                .withFallback(ours)
                .withFallback(ConfigFactory.defaultReference(Agent.class.getClassLoader()))
                .resolve();
        JitsiConfig.Companion.useDebugNewConfig(new TypesafeConfigSource("estuary ice4j", config));
        // Payload goes straight from the harvester thread to each session's callback (the API Jitsi Videobridge uses)
        // instead of through a socket and a reader thread per session; STUN still goes to the agents' stacks.
        AbstractUdpListener.USE_PUSH_API = true;
        // RFC 8445 section 7.3: a check without MESSAGE-INTEGRITY must be refused. ice4j answers it by default, which
        // would let anyone who saw a ufrag open a peer-reflexive path into a session.
        System.setProperty(StackProperties.REQUIRE_MESSAGE_INTEGRITY, "true");
        applied = true;
    }

    /**
     * Sends java.util.logging (ice4j's and jitsi's) to SLF4J, in place of its console handler, which would print in a
     * format of its own (and break JSON logs). Only warnings and above (errors for ice4j): at INFO they narrate every
     * agent's life (harvesting, role changes, pairs), which at one agent per publisher drowns our own lines.
     */
    private static void routeLogging() {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
        JITSI_LOGGER.setLevel(Level.WARNING);
        JITSI_CONFIG_LOGGER.setLevel(Level.WARNING);
        // ice4j warns of every check a browser sends on a pair it did not select once ICE is done (browsers keep
        // checking them): a line every few seconds per publisher, with nothing to act on. Its errors still show.
        ICE4J_LOGGER.setLevel(Level.SEVERE);
    }
}