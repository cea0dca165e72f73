package io.estuary.packager.drm.keys;

import static io.estuary.packager.ConfigRules.check;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;

/**
 * How to reach a CPIX key server ({@code estuary.drm.cpix}). {@link #toString()} shows neither the auth header nor
 * the URL's path and query, where some vendors put their API token.
 *
 * @param url            where the CPIX request is POSTed, or {@code null} when none is configured
 * @param authHeaderName the header that carries {@code authHeader}, usually {@code Authorization}
 * @param authHeader     its value ({@code Bearer ...}, {@code Basic ...}, an API key), or "" to send none
 * @param timeout        the longest a key request may take, connection to last byte
 * @param cacheSize      how many streams' keys are kept, so that a republish reuses its key
 */
public record CpixConfig(URI url, String authHeaderName, String authHeader, Duration timeout, int cacheSize) {

    public CpixConfig {
        check(url == null || (("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))
                && url.getHost() != null), "url", "must be an http(s) URL with a host: " + redact(url));
        check(authHeaderName.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"), "auth-header-name",
                "must be an HTTP header name: '" + authHeaderName + "'");
        check(authHeader.indexOf('\r') < 0 && authHeader.indexOf('\n') < 0, "auth-header",
                "must be a single line");
        check(timeout.toMillis() >= 100 && timeout.toSeconds() <= 60, "timeout",
                "must be between 100ms and 60s: " + timeout);
        check(cacheSize >= 1 && cacheSize <= 1_000_000, "cache-size", "must be between 1 and 1000000: " + cacheSize);
    }

    public static CpixConfig defaults() {
        return new CpixConfig(null, "Authorization", "", Duration.ofSeconds(5), 10_000);
    }

    /** Reads the {@code cpix} section of {@code estuary.drm}. */
    public static CpixConfig from(Config c) {
        String url = c.getString("url").trim();
        URI uri = url.isEmpty() ? null : DrmPolicy.named("url", () -> URI.create(url));
        return new CpixConfig(uri, c.getString("auth-header-name"), c.getString("auth-header"),
                c.getDuration("timeout"), c.getInt("cache-size"));
    }

    /** The URL as shown in logs and errors: scheme, host and port only. */
    public String redactedUrl() {
        return redact(url);
    }

    private static String redact(URI url) {
        if (url == null) {
            return "none";
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "" : "/...";
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + path;
    }

    @Override
    public String toString() {
        return "CpixConfig[url=" + redact(url) + ", authHeaderName=" + authHeaderName + ", authHeader="
                + (authHeader.isEmpty() ? "" : "******") + ", timeout=" + timeout + ", cacheSize=" + cacheSize + "]";
    }
}
