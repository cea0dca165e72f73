package io.estuary.media.router;

import io.estuary.media.frame.TrackInfo;
import java.util.List;

/**
 * Lifecycle events of the registry. Called on the publisher's thread, synchronously, so a listener that
 * subscribes in {@link #onStreamStarted} sees every frame; listeners must therefore return quickly.
 */
public interface StreamListener {

    void onStreamStarted(LiveStream stream);

    /** The session's tracks were announced, or a codec configuration of one of them changed. */
    default void onTracksChanged(LiveStream stream, List<TrackInfo> tracks) {
    }

    default void onStreamStopped(LiveStream stream) {
    }
}
