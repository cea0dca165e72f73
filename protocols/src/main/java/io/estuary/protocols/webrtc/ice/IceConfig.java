package io.estuary.protocols.webrtc.ice;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the muxed ICE port.
 *
 * @param port the UDP port every session shares (0: the OS picks one, the same on every address; for tests)
 * @param hostAddresses the addresses to bind and advertise as host candidates; empty means every non-loopback
 *     interface address ice4j finds (IPv6 link-local excluded). 127.0.0.1 is always added, so that loopback clients
 *     (tests, a publisher on the same machine) work.
 * @param publicAddress the address clients should use when the server is behind NAT; advertised as a server-reflexive
 *     candidate on the same port
 * @param connectTimeout how long a new session waits for a selected pair
 * @param consentTimeout how long without any datagram or STUN request from the remote before consent is expired
 *     (RFC 7675 section 5.1 says 30 s)
 */
public record IceConfig(int port, List<InetAddress> hostAddresses, Optional<InetAddress> publicAddress,
        Duration connectTimeout, Duration consentTimeout) {

    public static final int DEFAULT_PORT = 8189;

    public IceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ICE port must be 0..65535, got " + port);
        }
        hostAddresses = List.copyOf(Objects.requireNonNull(hostAddresses, "hostAddresses"));
        Objects.requireNonNull(publicAddress, "publicAddress");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(consentTimeout, "consentTimeout");
    }

    /** Port 8189 on every interface, no public address, 10 s to connect, 30 s of consent. */
    public static IceConfig defaults() {
        return new IceConfig(DEFAULT_PORT, List.of(), Optional.empty(), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
