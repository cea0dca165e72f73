package io.estuary.server.auth;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use a guarded endpoint (the API, the DRM license endpoint). With a token configured, a request must
 * carry it as a Bearer token (RFC 6750); without one, only clients on this machine are answered, so a fresh
 * install is not open to the network.
 */
public final class BearerAuth {
    /** Why a request was turned away; null fields for an allowed one. */
    public record Verdict(int status, String message) {
        static final Verdict ALLOWED = new Verdict(0, null);

        public boolean allowed() {
            return status == 0;
        }
    }

    /** The challenge of a 401 (RFC 6750 3). */
    public static final String CHALLENGE = "Bearer realm=\"estuary\"";

    private final byte[] token;
    private final String what;
    private final String configKey;

    /**
     * @param token     the token, or null/empty for loopback-only access
     * @param what      what the token is called in messages ("an admin token")
     * @param configKey the config key that sets it, named when a remote client is refused
     */
    public BearerAuth(String token, String what, String configKey) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.what = what;
        this.configKey = configKey;
    }

    public boolean tokenConfigured() {
        return token != null;
    }

    public Verdict check(String authorization, InetSocketAddress remote) {
        if (token == null) {
            boolean local = remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
            return local ? Verdict.ALLOWED : new Verdict(403,
                    "only local clients are answered until " + what + " is configured (" + configKey + ")");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Verdict(401, what + " is required: Authorization: Bearer TOKEN");
        }
        byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time: how long a comparison takes must not tell how much of a guess was right.
        return MessageDigest.isEqual(presented, token) ? Verdict.ALLOWED : new Verdict(401, "wrong token");
    }
}
