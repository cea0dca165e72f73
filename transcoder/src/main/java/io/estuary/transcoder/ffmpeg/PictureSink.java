package io.estuary.transcoder.ffmpeg;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/** Receives the pictures a {@link VideoDecoder} outputs, in presentation order. */
@FunctionalInterface
public interface PictureSink {

    /**
     * One decoded picture. The frame belongs to the decoder, which reuses it: it is valid only during this call
     * (scale or encode it here; {@code av_frame_ref} it to keep it).
     *
     * @param picture  the decoded picture
     * @param pts90k   its best-effort presentation timestamp, 90 kHz
     * @param keyframe whether the decoder flagged it as a key picture (an IDR or recovery point)
     */
    void picture(AVFrame picture, long pts90k, boolean keyframe);
}
