package io.estuary.server.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The HTTP listener and its caching rules, read once from {@code estuary.http}.
 *
 * @param host                    address to bind
 * @param port                    port to bind (0 picks a free one)
 * @param tlsCertificate          PEM certificate chain; with {@code tlsPrivateKey}, serve HTTPS with h2 via ALPN
 * @param tlsPrivateKey           PEM PKCS#8 private key (null without TLS)
 * @param corsAllowOrigin         value of Access-Control-Allow-Origin for browser players on other origins
 * @param playlistMaxAge          cache lifetime of a playlist fetched without delivery directives
 * @param blockingPlaylistMaxAge  cache lifetime of a playlist answering _HLS_msn/_HLS_part/_HLS_skip
 * @param negativeMaxAge          cache lifetime of a 404 for an unknown stream or object
 * @param blockingTimeout         how long a blocking playlist or preload-hint request may wait before 503
 * @param idleTimeout             close a connection with no traffic for this long
 */
public record HttpConfig(String host, int port, Path tlsCertificate, Path tlsPrivateKey, String corsAllowOrigin,
        Duration playlistMaxAge, Duration blockingPlaylistMaxAge, Duration negativeMaxAge, Duration blockingTimeout,
        Duration idleTimeout) {

    public boolean tlsEnabled() {
        return tlsCertificate != null;
    }

    public static HttpConfig from(Config root) {
        Config c = root.getConfig("estuary.http");
        int port = c.getInt("port");
        if (port < 0 || port > 65535) {
            throw new ConfigException.BadValue(c.origin(), "estuary.http.port", "not a TCP port: " + port);
        }
        Path cert = optionalFile(c, "tls.certificate-file");
        Path key = optionalFile(c, "tls.private-key-file");
        if ((cert == null) != (key == null)) {
            throw new ConfigException.BadValue(c.origin(), "estuary.http.tls",
                    "certificate-file and private-key-file go together");
        }
        Duration blockingTimeout = c.getDuration("blocking-request-timeout");
        if (blockingTimeout.isNegative() || blockingTimeout.isZero()) {
            throw new ConfigException.BadValue(c.origin(), "estuary.http.blocking-request-timeout",
                    "must be positive");
        }
        return new HttpConfig(c.getString("host"), port, cert, key, c.getString("cors-allow-origin"),
                c.getDuration("playlist-max-age"), c.getDuration("blocking-playlist-max-age"),
                c.getDuration("negative-max-age"), blockingTimeout, c.getDuration("idle-timeout"));
    }

    private static Path optionalFile(Config c, String key) {
        String value = c.getString(key);
        if (value.isBlank()) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new ConfigException.BadValue(c.origin(), "estuary.http." + key, "cannot read file " + path);
        }
        return path;
    }
}
