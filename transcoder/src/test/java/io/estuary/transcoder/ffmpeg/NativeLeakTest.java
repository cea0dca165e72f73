package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.MediaFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opening and closing every stage many times must not grow the process: native memory is invisible to the heap,
 * so the check is the resident set size.
 */
class NativeLeakTest {

    static final int WARM_UP = 20;
    static final int CYCLES = 200;
    static final long MAX_GROWTH_KB = 20 * 1024;

    @BeforeAll
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    @Test
    void twoHundredOpenCloseCyclesDoNotGrowTheResidentSet() throws IOException {
        TestAudio.Encoded aac = TestAudio.tone("aac", 44_100, 1, 440, 0.1, 0);
        AacConfig aacConfig = AacConfig.fromAudioSpecificConfig(aac.extradata());
        AVFrame picture = TestPictures.alloc(128, 96);
        try {
            for (int i = 0; i < WARM_UP; i++) {
                cycle(picture, aacConfig, aac.frames());
            }
            long before = settledRssKb();
            long start = System.nanoTime();
            long middle = 0;
            for (int i = 0; i < CYCLES; i++) {
                cycle(picture, aacConfig, aac.frames());
                if (i == CYCLES / 2 - 1) {
                    middle = settledRssKb();
                }
            }
            long after = settledRssKb();
            // Most of the growth is one-off (JIT code, malloc arenas of the codec threads): the second half of the
            // cycles, which a leak would grow as much as the first, shows whether it levels off.
            System.out.printf("leak check: VmRSS %d kB after %d warm-up cycles, %d kB after %d, %d kB after %d "
                    + "(%+d kB, second half %+d kB), %.1f ms per cycle%n", before, WARM_UP, middle, CYCLES / 2,
                    after, CYCLES, after - before, after - middle, (System.nanoTime() - start) / 1e6 / CYCLES);
            assertTrue(after - before < MAX_GROWTH_KB, "RSS grew by " + (after - before) + " kB");
        } finally {
            avutil.av_frame_free(picture);
        }
    }

    private static void cycle(AVFrame picture, AacConfig aacConfig, List<MediaFrame> audio) {
        VideoEncoderSettings s = new VideoEncoderSettings(VideoEncoder.choose("auto"), 128, 96, 30, 100_000,
                100_000, 200_000, "ultrafast", "zerolatency", "baseline", 30, 1);
        List<EncodedPacket> packets;
        try (VideoEncoder encoder = VideoEncoder.open(s);
                VideoDecoder decoder = VideoDecoder.open(encoder.config(), 1);
                Scaler scaler = new Scaler(64, 48);
                AudioTranscoder audioTranscoder = AudioTranscoder.open(aacConfig, AudioSettings.defaults())) {
            packets = VideoRoundTripTest.encode(encoder, 3, 0, Set.of(0));
            for (EncodedPacket p : packets) {
                decoder.decode(p.toFrame(), (pic, pts, key) -> scaler.scale(pic));
            }
            decoder.flush((pic, pts, key) -> scaler.scale(pic));
            scaler.scale(picture);
            for (MediaFrame f : audio) {
                audioTranscoder.transcode(f, out -> { });
            }
            audioTranscoder.flush(out -> { });
            // close() twice must be harmless
            scaler.close();
            decoder.close();
        }
    }

    // The Java heap is part of the RSS too: collect and give G1 time to uncommit (it does so concurrently) so that
    // both readings see a heap of about the same size and the difference is native memory.
    private static long settledRssKb() throws IOException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rssKb();
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
