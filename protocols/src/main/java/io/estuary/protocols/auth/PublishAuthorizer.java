package io.estuary.protocols.auth;

/**
 * Decides whether a publish request may go ahead, and under which stream key. Called on the event loop: an
 * implementation must answer from memory, without blocking.
 */
public interface PublishAuthorizer {

    /**
     * @param app         the application of the connection ({@code live})
     * @param publishName the name in the publish command; may carry {@code ?key=SECRET}, or be a secret itself
     */
    PublishDecision authorize(String app, String publishName);

    /**
     * A publish whose key travels apart from the name (WHIP's {@code Authorization: Bearer KEY}).
     *
     * @param name         the stream name from the URL
     * @param presentedKey the key the publisher presented, or null
     */
    PublishDecision authorize(String app, String name, String presentedKey);
}
