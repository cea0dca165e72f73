package io.estuary.transcoder.ffmpeg;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * A source as RTMP ingest would hand it to the transcoder, made without files: H.264 at 30 fps with a keyframe
 * every {@code gop} frames (track 1), and a 440 Hz tone as AAC at 44.1 kHz mono (track 2).
 */
public record SourceClip(TrackInfo video, List<MediaFrame> videoFrames, TrackInfo audio, List<MediaFrame> audioFrames) {

    public static final long FRAME_TICKS = 3000;

    public static SourceClip make(int width, int height, int frames, int gop) {
        List<MediaFrame> video = new ArrayList<>();
        AvcConfig config;
        // libx264, or openh264 where the tests run on the LGPL natives (-Plgpl).
        VideoEncoderSettings s = new VideoEncoderSettings(VideoEncoder.choose("auto"), width, height, 30, 2_000_000,
                2_000_000, 2_000_000, "ultrafast", "zerolatency", "high", 1000, 1);
        AVFrame picture = TestPictures.alloc(width, height);
        Random random = new Random(3);
        try (VideoEncoder encoder = VideoEncoder.open(s)) {
            config = encoder.config();
            PacketSink sink = (data, pts, dts, key) -> video.add(new MediaFrame(1, MediaType.VIDEO, dts,
                    (int) (pts - dts), key, data, 1_700_000_000_000L + pts / 90, System.nanoTime()));
            for (int i = 0; i < frames; i++) {
                TestPictures.fill(picture, i, 8, random);
                encoder.encode(picture, i * FRAME_TICKS, i % gop == 0, sink);
            }
            encoder.flush(sink);
        } finally {
            avutil.av_frame_free(picture);
        }
        TestAudio.Encoded tone = TestAudio.tone("aac", 44_100, 1, 440, frames / 30.0, 0);
        List<MediaFrame> audio = new ArrayList<>();
        for (MediaFrame f : tone.frames()) {
            audio.add(new MediaFrame(2, MediaType.AUDIO, f.dts(), 0, true, f.data(), f.wallClockMillis(),
                    System.nanoTime()));
        }
        return new SourceClip(TrackInfo.video(1, config), video,
                TrackInfo.audio(2, AacConfig.fromAudioSpecificConfig(tone.extradata())), audio);
    }

    /** Both tracks' frames in arrival order (by time), each stamped as received now. */
    public List<MediaFrame> interleaved() {
        List<MediaFrame> all = new ArrayList<>(videoFrames);
        all.addAll(audioFrames);
        all.sort(java.util.Comparator.comparingDouble(f -> f.type() == MediaType.VIDEO ? f.dts() / 90_000.0
                : f.dts() / 44_100.0));
        List<MediaFrame> now = new ArrayList<>();
        for (MediaFrame f : all) {
            now.add(new MediaFrame(f.trackId(), f.type(), f.dts(), f.compositionOffset(), f.keyframe(), f.data(),
                    f.wallClockMillis(), System.nanoTime()));
        }
        return now;
    }
}
