package io.estuary.protocols.rtmp;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.protocols.rtmp.flv.FlvIngest;
import io.estuary.protocols.rtmp.flv.FrameSink;
import java.util.List;

/** One publish of one connection: the router's session and the tag converter feeding it. Ends exactly once. */
final class PublishSession implements FrameSink {
    private final LiveStream stream;
    private final FlvIngest ingest;
    private final int streamId;
    private boolean ended;

    PublishSession(LiveStream stream, int streamId) {
        this.stream = stream;
        this.streamId = streamId;
        this.ingest = new FlvIngest(this, stream.key().toString());
    }

    LiveStream stream() {
        return stream;
    }

    FlvIngest ingest() {
        return ingest;
    }

    int streamId() {
        return streamId;
    }

    @Override
    public void updateTracks(List<TrackInfo> tracks) {
        stream.updateTracks(tracks);
    }

    @Override
    public void publish(MediaFrame frame) {
        stream.publish(frame);
    }

    /** Ends the router session; later calls do nothing. */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        stream.end();
        return true;
    }
}
