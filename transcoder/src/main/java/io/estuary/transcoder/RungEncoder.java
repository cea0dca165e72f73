package io.estuary.transcoder;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.transcoder.ffmpeg.Scaler;
import io.estuary.transcoder.ffmpeg.VideoEncoder;
import io.estuary.transcoder.ffmpeg.VideoEncoderSettings;
import io.estuary.transcoder.ladder.Rung;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * One encoded rung: scales the decoded picture once to its size and encodes it. Each frame out carries the stamp
 * of the picture it was made from (the encoder has no B-frames, so packets leave in the order pictures went in).
 */
final class RungEncoder implements AutoCloseable {

    private final Rung rung;
    private final int trackId;
    private final Scaler scaler;
    private final VideoEncoder encoder;
    private final TrackInfo track;
    private final RenditionStats stats;
    private final ArrayDeque<SourceTimeline.Stamp> inFlight = new ArrayDeque<>();

    RungEncoder(Rung rung, int trackId, VideoEncoderSettings settings, RenditionStats stats) {
        this.rung = rung;
        this.trackId = trackId;
        this.stats = stats;
        Scaler s = new Scaler(rung.width(), rung.height());
        VideoEncoder e;
        try {
            e = VideoEncoder.open(settings);
        } catch (RuntimeException ex) {
            s.close();
            throw ex;
        }
        this.scaler = s;
        this.encoder = e;
        this.track = TrackInfo.video(trackId, encoder.config()).withLabel(rung.name());
    }

    Rung rung() {
        return rung;
    }

    RenditionStats stats() {
        return stats;
    }

    /** The rendition's track, with the encoder's SPS and PPS. */
    TrackInfo track() {
        return track;
    }

    void encode(AVFrame picture, SourceTimeline.Stamp stamp, boolean forceKeyframe, Consumer<MediaFrame> out) {
        inFlight.add(stamp);
        if (inFlight.size() > SourceTimeline.MAX_PENDING) {
            inFlight.poll();
        }
        encoder.encode(scaler.scale(picture), stamp.pts(), forceKeyframe,
                (data, pts, dts, keyframe) -> emit(data, pts, keyframe, out));
    }

    void flush(Consumer<MediaFrame> out) {
        encoder.flush((data, pts, dts, keyframe) -> emit(data, pts, keyframe, out));
    }

    private void emit(byte[] data, long pts, boolean keyframe, Consumer<MediaFrame> out) {
        SourceTimeline.Stamp stamp = inFlight.poll();
        while (stamp != null && stamp.pts() != pts) {
            stamp = inFlight.poll(); // a picture the encoder did not put out
        }
        if (stamp == null) {
            return;
        }
        stats.frameOut();
        out.accept(new MediaFrame(trackId, MediaType.VIDEO, stamp.dts(), (int) (pts - stamp.dts()), keyframe, data,
                stamp.wallClockMillis(), stamp.receivedNanos()));
    }

    @Override
    public void close() {
        try {
            encoder.close();
        } finally {
            scaler.close();
        }
    }
}
