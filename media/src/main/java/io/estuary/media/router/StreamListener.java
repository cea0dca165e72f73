package io.estuary.media.router;

/**
 * Lifecycle events of the registry. Called on the publisher's thread, synchronously, so a listener that
 * subscribes in {@link #onStreamStarted} sees every frame; listeners must therefore return quickly.
 */
public interface StreamListener {

    void onStreamStarted(LiveStream stream);

    default void onStreamStopped(LiveStream stream) {
    }
}
