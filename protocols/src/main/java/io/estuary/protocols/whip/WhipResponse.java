package io.estuary.protocols.whip;

import java.util.Map;

/**
 * What the WHIP resource answers, for the server's HTTP layer to write.
 *
 * @param status      the HTTP status
 * @param contentType the body's type, or null for an empty body
 * @param body        the SDP answer, or the reason of an error (safe to show: never a secret)
 * @param headers     Location, ETag, WWW-Authenticate as the case needs
 */
public record WhipResponse(int status, String contentType, String body, Map<String, String> headers) {

    static WhipResponse error(int status, String reason) {
        return new WhipResponse(status, "text/plain; charset=utf-8", reason + "\n", Map.of());
    }

    static WhipResponse unauthorized(String reason) {
        return new WhipResponse(401, "text/plain; charset=utf-8", reason + "\n",
                Map.of("WWW-Authenticate", "Bearer realm=\"estuary\""));
    }
}
