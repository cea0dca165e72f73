package io.estuary.transcoder.ffmpeg;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;

/** What a {@link PacketSink} received, kept for assertions and for feeding a {@link VideoDecoder}. */
record EncodedPacket(byte[] data, long pts, long dts, boolean keyframe) {

    MediaFrame toFrame() {
        return new MediaFrame(1, MediaType.VIDEO, dts, (int) (pts - dts), keyframe, data, 0, 0);
    }
}
