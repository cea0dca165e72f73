package io.estuary.protocols.auth;

import io.estuary.media.router.StreamKey;

/** The answer of a {@link PublishAuthorizer}. */
public sealed interface PublishDecision {

    /**
     * Publish as {@code key}. {@code credential} is the secret the publisher proved (null when it presented none);
     * it decides later whether a reconnect may take the stream over. Never printed.
     */
    record Allowed(StreamKey key, String credential) implements PublishDecision {
        @Override
        public String toString() {
            return "Allowed[" + key + (credential == null ? "" : ", credential=***") + "]";
        }
    }

    /**
     * Refused; {@code reason} is safe to log and to send to the client (it never contains a secret).
     * {@code invalidName} tells a malformed app or stream name (a client bug) from a key problem (an intruder or
     * a misconfigured encoder): operators count them apart.
     */
    record Refused(String reason, boolean invalidName) implements PublishDecision {
        public Refused(String reason) {
            this(reason, false);
        }
    }
}
