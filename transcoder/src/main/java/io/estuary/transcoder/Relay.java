package io.estuary.transcoder;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamSubscriber;
import java.util.List;
import java.util.function.Predicate;

/**
 * Hands a session to the packaging side as it is: for streams the transcoder is off for. It runs on the
 * publisher's thread (subscribed with a direct executor) and only appends to the output's bounded subscriber
 * queues, which never block.
 *
 * <p>Some track sets still need work that must not run on the publisher's thread (Opus audio to AAC). For those,
 * {@code handOff} subscribes another subscriber to the source on a thread of its own and returns true; from then
 * on that subscriber feeds the output, and this relay only ignores what it is still given. Ordering holds: what
 * this relay published went out before the hand-off, and the new subscriber sees only what comes after it.
 */
final class Relay implements StreamSubscriber {

    private final LiveStream output;
    private final Predicate<List<TrackInfo>> handOff;
    private boolean handedOff;

    /** @param handOff given each new track list; true when it has handed the session to another subscriber */
    Relay(LiveStream output, Predicate<List<TrackInfo>> handOff) {
        this.output = output;
        this.handOff = handOff;
    }

    @Override
    public void onTracks(List<TrackInfo> tracks) {
        if (handedOff) {
            return;
        }
        if (handOff.test(tracks)) {
            handedOff = true;
            return;
        }
        output.updateTracks(tracks);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (!handedOff) {
            output.publish(frame);
        }
    }

    @Override
    public void onEnd() {
        if (!handedOff) {
            output.end();
        }
    }
}
