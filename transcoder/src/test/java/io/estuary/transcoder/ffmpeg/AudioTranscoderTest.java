package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AudioTranscoderTest {

    @BeforeAll
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    static List<MediaFrame> transcode(AudioTranscoder t, List<MediaFrame> input) {
        List<MediaFrame> out = new ArrayList<>();
        for (MediaFrame f : input) {
            t.transcode(f, out::add);
        }
        t.flush(out::add);
        return out;
    }

    @Test
    void opusStereoToAacKeepsToneTimelineAndDuration() {
        long start = 480_000; // 10 s at 48 kHz
        TestAudio.Encoded opus = TestAudio.tone("libopus", 48_000, 2, 1000, 2.0, start);
        OpusConfig config = OpusConfig.parse(opus.extradata());
        List<MediaFrame> out;
        AacConfig aac;
        try (AudioTranscoder t = AudioTranscoder.open(config, AudioSettings.defaults())) {
            aac = t.config();
            out = transcode(t, opus.frames());
            assertEquals(0, t.errors());
            assertEquals(0, t.reanchors());
        }
        assertEquals(48_000, aac.sampleRate());
        assertEquals(2, aac.channels());
        assertEquals(2, aac.parsed().objectType(), "AAC-LC");
        long firstIn = opus.frames().get(0).pts();
        System.out.printf("opus->aac: %d opus packets (first pts %d, pre-skip %d) -> %d AAC frames, first pts %d%n",
                opus.frames().size(), firstIn, config.preSkip(), out.size(), out.get(0).pts());
        assertSteps1024(out);
        // The Opus decoder drops the pre-skip, so the first sample heard is at firstIn + preSkip; the first AAC
        // frame is the encoder's priming, one frame earlier; the second carries that first sample.
        assertEquals(firstIn + config.preSkip() - 1024, out.get(0).pts());
        assertEquals(firstIn + config.preSkip(), out.get(1).pts());
        checkTone(aac, out, 1000, 2.0);
        for (MediaFrame f : out) {
            assertEquals(2, f.trackId());
            assertEquals(MediaType.AUDIO, f.type());
            assertTrue(f.keyframe());
            assertEquals(f.pts() * 1000 / 48_000, f.wallClockMillis(), 50, "wall clock follows the input's");
        }
    }

    @Test
    void aac44kMonoBecomes48kStereo() {
        long start = 441_000; // 10 s at 44.1 kHz
        TestAudio.Encoded in = TestAudio.tone("aac", 44_100, 1, 440, 2.0, start);
        AacConfig inConfig = AacConfig.fromAudioSpecificConfig(in.extradata());
        assertEquals(1, inConfig.channels());
        List<MediaFrame> out;
        AacConfig aac;
        try (AudioTranscoder t = AudioTranscoder.open(inConfig, AudioSettings.defaults())) {
            aac = t.config();
            out = transcode(t, in.frames());
            assertEquals(0, t.errors());
        }
        assertEquals(48_000, aac.sampleRate());
        assertEquals(2, aac.channels());
        long firstIn = in.frames().get(0).pts() * 48_000 / 44_100;
        System.out.printf("aac 44.1k mono -> 48k stereo: %d -> %d frames, first pts %d (input %d at 48k)%n",
                in.frames().size(), out.size(), out.get(0).pts(), firstIn);
        assertSteps1024(out);
        assertTrue(Math.abs(out.get(0).pts() - firstIn) <= 1024, "first pts " + out.get(0).pts());
        float[][] pcm = checkTone(aac, out, 440, 2.0);
        double left = TestAudio.rms(pcm[0], 4096, pcm[0].length - 4096);
        double right = TestAudio.rms(pcm[1], 4096, pcm[1].length - 4096);
        assertEquals(left, right, 0.01, "mono upmixed to both channels");
    }

    @Test
    void aTwoSecondJumpInTheInputReanchorsTheOutput() {
        long start = 96_000;
        long jump = 96_000; // 2 s at 48 kHz
        TestAudio.Encoded in = TestAudio.tone("aac", 48_000, 2, 1000, 2.0, start);
        List<MediaFrame> input = new ArrayList<>();
        int half = in.frames().size() / 2;
        for (int i = 0; i < in.frames().size(); i++) {
            MediaFrame f = in.frames().get(i);
            input.add(i < half ? f : new MediaFrame(f.trackId(), f.type(), f.dts() + jump, 0, true, f.data(),
                    f.wallClockMillis() + 2000, f.receivedNanos()));
        }
        long firstAfterJump = input.get(half).pts();
        List<MediaFrame> out;
        try (AudioTranscoder t = AudioTranscoder.open(AacConfig.fromAudioSpecificConfig(in.extradata()),
                AudioSettings.defaults())) {
            out = transcode(t, input);
            assertEquals(1, t.reanchors());
        }
        List<Long> steps = new ArrayList<>();
        for (int i = 1; i < out.size(); i++) {
            long step = out.get(i).pts() - out.get(i - 1).pts();
            if (step != 1024) {
                steps.add(step);
            }
        }
        System.out.println("jump: non-1024 steps " + steps);
        assertEquals(1, steps.size(), "one jump: " + steps);
        // One frame's normal advance plus the jump, less what the silence padding of the last partial frame added.
        assertTrue(steps.get(0) > jump && steps.get(0) <= jump + 1024, "step " + steps.get(0));
        assertTrue(out.stream().anyMatch(f -> f.pts() == firstAfterJump), "re-anchored exactly to the input");
    }

    @Test
    void framesThatWouldBeStampedBeforeZeroAreDropped() {
        // Input from zero: its own priming frame is at -1024, and the output's priming one frame earlier still.
        TestAudio.Encoded in = TestAudio.tone("aac", 48_000, 2, 1000, 0.5, 0);
        assertEquals(-1024, in.frames().get(0).pts());
        List<MediaFrame> out;
        try (AudioTranscoder t = AudioTranscoder.open(AacConfig.fromAudioSpecificConfig(in.extradata()),
                AudioSettings.defaults())) {
            out = transcode(t, in.frames());
        }
        assertEquals(0, out.get(0).pts());
        assertSteps1024(out);
        assertEquals(in.frames().size() + 1 - 2, out.size(), "input frames, plus the output's priming, less two");
    }

    @Test
    void corruptAacIsCountedAndDecodingGoesOn() {
        TestAudio.Encoded in = TestAudio.tone("aac", 48_000, 2, 1000, 1.0, 48_000);
        AudioCodecConfig config = AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(48_000, 2));
        byte[] garbage = new byte[300];
        new Random(42).nextBytes(garbage);
        List<MediaFrame> out = new ArrayList<>();
        try (AudioTranscoder t = AudioTranscoder.open(config, AudioSettings.defaults())) {
            List<MediaFrame> frames = in.frames();
            int half = frames.size() / 2;
            for (int i = 0; i < half; i++) {
                t.transcode(frames.get(i), out::add);
            }
            int before = out.size();
            MediaFrame bad = frames.get(half);
            t.transcode(new MediaFrame(2, MediaType.AUDIO, bad.dts(), 0, true, garbage, 0, 0), out::add);
            for (int i = half + 1; i < frames.size(); i++) {
                t.transcode(frames.get(i), out::add);
            }
            System.out.printf("corrupt aac: %d errors, %d frames before, %d after%n", t.errors(), before,
                    out.size() - before);
            assertTrue(t.errors() >= 1, "counted");
            assertTrue(out.size() - before >= frames.size() - half - 3, "decoding went on");
        }
    }

    private static void assertSteps1024(List<MediaFrame> out) {
        for (int i = 1; i < out.size(); i++) {
            assertEquals(1024, out.get(i).pts() - out.get(i - 1).pts(), "step at " + i);
        }
        assertTrue(out.stream().allMatch(f -> f.pts() >= 0 && f.compositionOffset() == 0));
    }

    private static float[][] checkTone(AacConfig aac, List<MediaFrame> out, double hz, double seconds) {
        float[][] pcm = TestAudio.decodeAac(aac.audioSpecificConfig(), out);
        int rate = aac.sampleRate();
        double duration = pcm[0].length / (double) rate;
        double measured = TestAudio.frequency(pcm[0], 4096, pcm[0].length - 4096, rate);
        double level = TestAudio.rms(pcm[0], 4096, pcm[0].length - 4096);
        System.out.printf("  decoded %.3f s, tone %.1f Hz (expected %.0f), rms %.3f%n", duration, measured, hz,
                level);
        // The tone, plus the priming and the last frame's padding of both AAC stages (at most ~4 frames).
        assertTrue(duration >= seconds && duration <= seconds + 4 * 1024.0 / rate, "duration covered " + duration);
        assertEquals(hz, measured, hz * 0.01, "tone frequency");
        assertTrue(level > 0.1, "not silence: " + level);
        return pcm;
    }
}
