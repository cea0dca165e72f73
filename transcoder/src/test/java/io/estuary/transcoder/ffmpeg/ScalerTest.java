package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

class ScalerTest {

    @Test
    void scalesToTheDestinationSizeAndFollowsASourceSizeChange() {
        AVFrame hd = TestPictures.alloc(1280, 720);
        AVFrame fullHd = TestPictures.alloc(1920, 1080);
        try (Scaler scaler = new Scaler(640, 360)) {
            TestPictures.fill(hd, 3, 0, null);
            TestPictures.fill(fullHd, 3, 0, null);
            AVFrame out = scaler.scale(hd);
            assertNotSame(hd, out);
            assertEquals(640, out.width());
            assertEquals(360, out.height());
            assertEquals(avutil.AV_PIX_FMT_YUV420P, out.format());
            // The gradient survives scaling: the mean luma stays about that of the source.
            double source = TestPictures.meanLuma(hd);
            assertEquals(source, TestPictures.meanLuma(out), 3.0);

            AVFrame again = scaler.scale(fullHd);
            assertEquals(640, again.width());
            assertEquals(360, again.height());
            assertEquals(TestPictures.meanLuma(fullHd), TestPictures.meanLuma(again), 3.0);
        } finally {
            avutil.av_frame_free(hd);
            avutil.av_frame_free(fullHd);
        }
    }

    @Test
    void upscalesAndConvertsOddRungs() {
        AVFrame small = TestPictures.alloc(320, 180);
        try (Scaler scaler = new Scaler(854, 480)) {
            TestPictures.fill(small, 0, 0, null);
            AVFrame out = scaler.scale(small);
            assertEquals(854, out.width());
            assertEquals(480, out.height());
            assertTrue(TestPictures.meanLuma(out) > 50);
        } finally {
            avutil.av_frame_free(small);
        }
    }

    @Test
    void sameSizeAndFormatPassesTheSourceThrough() {
        AVFrame src = TestPictures.alloc(640, 360);
        try (Scaler scaler = new Scaler(640, 360)) {
            assertSame(src, scaler.scale(src));
        } finally {
            avutil.av_frame_free(src);
        }
    }

    @Test
    void refusesOddSizesAndUseAfterClose() {
        assertThrows(IllegalArgumentException.class, () -> new Scaler(641, 360));
        Scaler scaler = new Scaler(64, 64);
        scaler.close();
        scaler.close();
        AVFrame src = TestPictures.alloc(32, 32);
        try {
            assertThrows(IllegalStateException.class, () -> scaler.scale(src));
        } finally {
            avutil.av_frame_free(src);
        }
    }
}
