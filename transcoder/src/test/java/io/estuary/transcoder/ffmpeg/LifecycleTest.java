package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** close() twice is harmless, use after close is refused, bad settings fail before any native allocation. */
class LifecycleTest {

    static final MediaFrame SOME_FRAME = new MediaFrame(1, MediaType.AUDIO, 0, 0, true, new byte[] {1, 2}, 0, 0);

    @BeforeAll
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    @Test
    void everyStageClosesTwiceAndRefusesUseAfterClose() {
        VideoEncoder encoder = VideoEncoder.open(VideoRoundTripTest.settings(64, 64, 100_000));
        VideoDecoder decoder = VideoDecoder.open(encoder.config(), 0);
        AudioTranscoder aac = AudioTranscoder.open(
                AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(44_100, 2)), AudioSettings.defaults());
        AudioTranscoder opus = AudioTranscoder.open(OpusConfig.of(1, 312, 48_000), AudioSettings.defaults());
        assertEquals(48_000, opus.config().sampleRate());
        for (AutoCloseable c : new AutoCloseable[] {encoder, decoder, aac, opus}) {
            assertClosesTwice(c);
        }
        assertThrows(IllegalStateException.class, () -> decoder.decode(SOME_FRAME, (p, t, k) -> { }));
        assertThrows(IllegalStateException.class, () -> encoder.flush((d, p, t, k) -> { }));
        assertThrows(IllegalStateException.class, () -> aac.transcode(SOME_FRAME, f -> { }));
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new VideoEncoderSettings("libx264", 641, 360, 30,
                800_000, 880_000, 1_600_000, "veryfast", "zerolatency", "main", 60, 0));
        assertThrows(IllegalArgumentException.class, () -> new VideoEncoderSettings("libx264", 640, 360, 30,
                0, 880_000, 1_600_000, "veryfast", "zerolatency", "main", 60, 0));
        assertThrows(IllegalArgumentException.class, () -> new AudioSettings(48_000, 6, 128_000));
        assertEquals(new AudioSettings(48_000, 2, 128_000), AudioSettings.defaults());
    }

    @Test
    void ffmpegErrorsNameTheCallAndFfmpegsText() {
        FfmpegException e = new FfmpegException("avcodec_send_packet", avutil.AVERROR_INVALIDDATA);
        assertTrue(e.getMessage().startsWith("avcodec_send_packet failed: Invalid data found"), e.getMessage());
        assertEquals(avutil.AVERROR_INVALIDDATA, e.errorCode());
        assertThrows(FfmpegException.class, () -> VideoEncoder.open(new VideoEncoderSettings("libnothing", 64, 64,
                30, 100_000, 100_000, 200_000, null, null, null, 30, 0)));
        if (VideoEncoder.available("libx264")) { // openh264 (the LGPL natives) has no presets to get wrong
            assertThrows(FfmpegException.class, () -> VideoEncoder.open(new VideoEncoderSettings("libx264", 64, 64,
                    30, 100_000, 100_000, 200_000, "no-such-preset", null, null, 30, 0)));
        }
    }

    private static void assertClosesTwice(AutoCloseable c) {
        try {
            c.close();
            c.close();
        } catch (Exception e) {
            throw new AssertionError(c + " failed to close twice", e);
        }
    }
}
