package io.estuary.server.api;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use the API. With a token configured, a request must carry it as a Bearer token (RFC 6750); without
 * one, the API answers only clients on this machine, so a fresh install is not open to the network.
 */
final class ApiAuth {
    /** Why a request was turned away; null fields for an allowed one. */
    record Verdict(int status, String message) {
        static final Verdict ALLOWED = new Verdict(0, null);

        boolean allowed() {
            return status == 0;
        }
    }

    private final byte[] token;

    /** @param token the admin token, or null/empty for loopback-only access */
    ApiAuth(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean tokenConfigured() {
        return token != null;
    }

    Verdict check(String authorization, InetSocketAddress remote) {
        if (token == null) {
            boolean local = remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
            return local ? Verdict.ALLOWED : new Verdict(403,
                    "the API answers only local clients until an admin token is configured (estuary.api.token)");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Verdict(401, "an admin token is required: Authorization: Bearer TOKEN");
        }
        byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time: how long a comparison takes must not tell how much of a guess was right.
        return MessageDigest.isEqual(presented, token) ? Verdict.ALLOWED : new Verdict(401, "wrong admin token");
    }
}
