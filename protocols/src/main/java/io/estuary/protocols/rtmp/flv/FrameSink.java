package io.estuary.protocols.rtmp.flv;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import java.util.List;

/** Where {@link FlvIngest} delivers its output: in production a {@link io.estuary.media.router.LiveStream}. */
public interface FrameSink {

    void updateTracks(List<TrackInfo> tracks);

    void publish(MediaFrame frame);
}
