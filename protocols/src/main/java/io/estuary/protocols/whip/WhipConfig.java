package io.estuary.protocols.whip;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.estuary.protocols.webrtc.ice.IceConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * WHIP ingest settings ({@code estuary.whip.*}, documented in this module's {@code reference.conf}).
 *
 * @param enabled        whether {@code POST /{app}/{name}/whip} is served and the UDP port bound
 * @param ice            the shared UDP port, candidate addresses and ICE timeouts
 * @param maxSessions    WHIP sessions at once
 * @param videoMaxWait   how long a video sequence gap is waited for (NACKed) before it is given up
 * @param audioMaxWait   the same for audio, shorter: a late audio packet is worth less than a steady clock
 * @param simulatedLoss  share of received RTP packets dropped on purpose (testing aid), 0 to 0.5
 * @param keyframeInterval how often a keyframe is asked for (PLI) when the publisher sends none by itself;
 *                       null until {@link #withDefaultKeyframeInterval} gives the packager's segment target
 */
public record WhipConfig(boolean enabled, IceConfig ice, int maxSessions, Duration videoMaxWait,
        Duration audioMaxWait, double simulatedLoss, Duration keyframeInterval) {

    public WhipConfig {
        check(maxSessions >= 1, "max-sessions", "must be at least 1");
        check(videoMaxWait.toMillis() >= 20 && videoMaxWait.toMillis() <= 5000, "video-max-wait",
                "must be between 20ms and 5s");
        check(audioMaxWait.toMillis() >= 20 && audioMaxWait.toMillis() <= 5000, "audio-max-wait",
                "must be between 20ms and 5s");
        check(simulatedLoss >= 0 && simulatedLoss <= 0.5, "simulated-loss", "must be between 0.0 and 0.5");
        check(keyframeInterval == null || keyframeInterval.toMillis() >= 500, "keyframe-interval",
                "must be at least 500ms");
    }

    /**
     * Fills in the keyframe interval when the configuration left it to the packager: a browser encoder sends a
     * keyframe only when asked, and every segment must start with one.
     */
    public WhipConfig withDefaultKeyframeInterval(Duration segmentTarget) {
        return keyframeInterval != null ? this : new WhipConfig(enabled, ice, maxSessions, videoMaxWait,
                audioMaxWait, simulatedLoss, segmentTarget);
    }

    public static WhipConfig defaults() {
        return from(ConfigFactory.empty());
    }

    /** Reads {@code estuary.whip.*}, falling back to this module's reference.conf for missing keys. */
    public static WhipConfig from(Config root) {
        Config c = root.withFallback(ConfigFactory.defaultReference(WhipConfig.class.getClassLoader()))
                .getConfig("estuary.whip");
        try {
            int port = c.getInt("udp-port");
            check(port >= 0 && port <= 65535, "udp-port", "must be 0-65535");
            List<InetAddress> hosts = new ArrayList<>();
            for (String host : c.getStringList("host-addresses")) {
                hosts.add(address("host-addresses", host));
            }
            String publicAddress = c.getString("public-address").trim();
            Optional<InetAddress> pub = publicAddress.isEmpty() ? Optional.empty()
                    : Optional.of(address("public-address", publicAddress));
            Duration connect = positive(c, "connect-timeout");
            Duration consent = positive(c, "consent-timeout");
            return new WhipConfig(c.getBoolean("enabled"),
                    new IceConfig(port, List.copyOf(hosts), pub, connect, consent),
                    c.getInt("max-sessions"), c.getDuration("video-max-wait"), c.getDuration("audio-max-wait"),
                    c.getDouble("simulated-loss"), c.getString("keyframe-interval").isBlank() ? null
                            : c.getDuration("keyframe-interval"));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().substring(0, e.getMessage().indexOf(' '));
            throw new ConfigException.BadValue(c.origin(), "estuary.whip." + key, e.getMessage());
        }
    }

    /** A literal IP address: resolving a name here would make start-up depend on DNS. */
    private static InetAddress address(String key, String value) {
        if (!value.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException(key + " must be IP addresses, not names: " + value);
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(key + " is not an IP address: " + value);
        }
    }

    private static Duration positive(Config c, String key) {
        Duration d = c.getDuration(key);
        check(!d.isNegative() && !d.isZero(), key, "must be positive");
        return d;
    }

    private static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + " " + message);
        }
    }
}
