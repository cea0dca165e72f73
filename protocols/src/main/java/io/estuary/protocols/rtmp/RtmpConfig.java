package io.estuary.protocols.rtmp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * RTMP ingest settings ({@code estuary.rtmp.*}, documented in this module's {@code reference.conf}).
 *
 * @param port           TCP port to listen on (0 picks a free one, for tests)
 * @param maxMessageSize longest RTMP message accepted, bytes (a video frame must fit)
 * @param outChunkSize   chunk size we send with, bytes
 * @param windowAckSize  acknowledgement window we announce and use until the peer sets one, bytes
 * @param handshakeTimeout time a client has to complete the handshake
 * @param idleTimeout    a connection that sends nothing for this long is closed
 * @param maxConnections connections accepted at once; more are closed at accept (counted as refused)
 */
public record RtmpConfig(int port, int maxMessageSize, int outChunkSize, int windowAckSize,
        Duration handshakeTimeout, Duration idleTimeout, int maxConnections) {
    /** The message length field is 24 bits. */
    public static final int MAX_MESSAGE_LENGTH = 0xFFFFFF;

    public RtmpConfig {
        check(port >= 0 && port <= 65535, "port", "must be 0-65535");
        check(maxMessageSize >= 1024 && maxMessageSize <= MAX_MESSAGE_LENGTH, "max-message-size",
                "must be between 1KiB and 16MiB-1");
        check(outChunkSize >= 128 && outChunkSize <= 0xFFFFFF, "chunk-size", "must be between 128 and 16MiB-1");
        check(windowAckSize > 0, "window-ack-size", "must be positive");
        check(!handshakeTimeout.isNegative() && !handshakeTimeout.isZero(), "handshake-timeout", "must be positive");
        check(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idle-timeout", "must be positive");
        check(maxConnections >= 1, "max-connections", "must be at least 1");
    }

    public static RtmpConfig defaults() {
        return from(ConfigFactory.empty());
    }

    /** Reads {@code estuary.rtmp.*}, falling back to this module's reference.conf for missing keys. */
    public static RtmpConfig from(Config root) {
        Config c = root.withFallback(ConfigFactory.defaultReference(RtmpConfig.class.getClassLoader()))
                .getConfig("estuary.rtmp");
        try {
            return new RtmpConfig(c.getInt("port"), bytes(c, "max-message-size"), bytes(c, "chunk-size"),
                    bytes(c, "window-ack-size"), c.getDuration("handshake-timeout"), c.getDuration("idle-timeout"),
                    c.getInt("max-connections"));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().substring(0, e.getMessage().indexOf(' '));
            throw new ConfigException.BadValue(c.origin(), "estuary.rtmp." + key, e.getMessage());
        }
    }

    private static int bytes(Config c, String key) {
        long value = c.getBytes(key);
        if (value > Integer.MAX_VALUE) {
            throw new ConfigException.BadValue(c.getValue(key).origin(), "estuary.rtmp." + key, "too large");
        }
        return (int) value;
    }

    private static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + " " + message);
        }
    }
}
