package io.estuary.transcoder;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamSubscriber;
import java.util.List;

/**
 * Hands a session to the packaging side as it is: for streams the transcoder is off for. It runs on the
 * publisher's thread (subscribed with a direct executor) and only appends to the output's bounded subscriber
 * queues, which never block.
 */
final class Relay implements StreamSubscriber {

    private final LiveStream output;

    Relay(LiveStream output) {
        this.output = output;
    }

    @Override
    public void onTracks(List<TrackInfo> tracks) {
        output.updateTracks(tracks);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        output.publish(frame);
    }

    @Override
    public void onEnd() {
        output.end();
    }
}
