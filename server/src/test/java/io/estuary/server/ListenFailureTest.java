package io.estuary.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A taken port stops start-up with a message naming the address, and what was started is shut down again. */
class ListenFailureTest {

    @Test
    void aPortInUseIsReportedByAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            EstuaryServer.ListenException e = assertThrows(EstuaryServer.ListenException.class,
                    () -> EstuaryServer.start(ConfigFactory.parseMap(Map.of("estuary.http.host", "127.0.0.1",
                            "estuary.http.port", 0, "estuary.rtmp.port", port, "estuary.whip.udp-port", 0))
                            .withFallback(ConfigFactory.load())));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + port + ": "), e.getMessage());
        }
        // The HTTP listener bound before the RTMP one failed; it was closed, so starting again works.
        EstuaryServer.start(ConfigFactory.parseMap(Map.of("estuary.http.port", 0, "estuary.rtmp.port", 0,
                "estuary.whip.udp-port", 0)).withFallback(ConfigFactory.load())).close();
    }

    @Test
    void aTakenWhipPortIsReportedAsUdp() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            EstuaryServer.ListenException e = assertThrows(EstuaryServer.ListenException.class,
                    () -> EstuaryServer.start(ConfigFactory.parseMap(Map.of("estuary.http.port", 0,
                            "estuary.rtmp.port", 0, "estuary.whip.udp-port", port,
                            "estuary.whip.host-addresses", java.util.List.of("127.0.0.1")))
                            .withFallback(ConfigFactory.load())));
            assertTrue(e.getMessage().startsWith("cannot start WHIP on UDP port " + port + ": "), e.getMessage());
        }
    }
}
