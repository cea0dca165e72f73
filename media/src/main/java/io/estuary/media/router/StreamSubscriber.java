package io.estuary.media.router;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import java.util.List;

/**
 * A consumer of one publish session (packager, transcoder, recorder). Calls arrive in order, one at a time, on
 * the executor the subscriber was registered with: never on the publisher's thread.
 */
public interface StreamSubscriber {

    /** The session's tracks: first when it starts, then each time a codec configuration changes. */
    void onTracks(List<TrackInfo> tracks);

    void onFrame(MediaFrame frame);

    /** The session has ended (publisher gone or taken over); no further call follows. */
    void onEnd();
}
