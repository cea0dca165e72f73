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
}
