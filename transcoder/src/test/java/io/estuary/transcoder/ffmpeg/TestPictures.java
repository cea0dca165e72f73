package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

import java.util.Random;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Synthetic YUV420P pictures, so that tests need no media files: a diagonal luma gradient that scrolls with the
 * frame index and a bright box that moves across it (real motion for the encoder), optionally with noise (real
 * entropy, for rate-control tests).
 */
final class TestPictures {

    private TestPictures() {
    }

    static AVFrame alloc(int width, int height) {
        AVFrame frame = av_frame_alloc();
        frame.width(width).height(height).format(AV_PIX_FMT_YUV420P);
        FfmpegException.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
        return frame;
    }

    /** The luma value of pixel (x, y) in picture {@code index}, without noise. */
    static int luma(int width, int height, int index, int x, int y) {
        int boxSize = Math.max(8, height / 4);
        int boxX = (index * 8) % Math.max(1, width - boxSize);
        int boxY = height / 3;
        if (x >= boxX && x < boxX + boxSize && y >= boxY && y < boxY + boxSize) {
            return 235;
        }
        return 32 + ((x + y + 4 * index) % 160);
    }

    /** Fills the picture with pattern {@code index}; {@code noise} > 0 adds uniform noise of that amplitude. */
    static void fill(AVFrame frame, int index, int noise, Random random) {
        FfmpegException.check(av_frame_make_writable(frame), "av_frame_make_writable");
        int w = frame.width();
        int h = frame.height();
        int ls = frame.linesize(0);
        byte[] y = new byte[ls * h];
        for (int row = 0; row < h; row++) {
            for (int x = 0; x < w; x++) {
                int v = luma(w, h, index, x, row);
                if (noise > 0) {
                    v = Math.max(16, Math.min(235, v + random.nextInt(2 * noise + 1) - noise));
                }
                y[row * ls + x] = (byte) v;
            }
        }
        frame.data(0).put(y, 0, y.length);
        fillChroma(frame, 1, index, 128 + 40);
        fillChroma(frame, 2, index, 128 - 40);
    }

    private static void fillChroma(AVFrame frame, int plane, int index, int base) {
        int w = frame.width() / 2;
        int h = frame.height() / 2;
        int ls = frame.linesize(plane);
        byte[] c = new byte[ls * h];
        for (int row = 0; row < h; row++) {
            for (int x = 0; x < w; x++) {
                c[row * ls + x] = (byte) (base + ((x + index) % 32) - 16);
            }
        }
        frame.data(plane).put(c, 0, c.length);
    }

    /** PSNR of a picture's luma against pattern {@code index} (no noise), in dB. */
    static double lumaPsnr(AVFrame picture, int index) {
        int w = picture.width();
        int h = picture.height();
        int ls = picture.linesize(0);
        byte[] y = new byte[ls * h];
        picture.data(0).get(y, 0, y.length);
        double sum = 0;
        for (int row = 0; row < h; row++) {
            for (int x = 0; x < w; x++) {
                double d = (y[row * ls + x] & 0xFF) - luma(w, h, index, x, row);
                sum += d * d;
            }
        }
        double mse = sum / ((double) w * h);
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Mean luma of a picture: a black or failed decode reads about 0 (or 16). */
    static double meanLuma(AVFrame picture) {
        int w = picture.width();
        int h = picture.height();
        int ls = picture.linesize(0);
        byte[] y = new byte[ls * h];
        picture.data(0).get(y, 0, y.length);
        long sum = 0;
        for (int row = 0; row < h; row++) {
            for (int x = 0; x < w; x++) {
                sum += y[row * ls + x] & 0xFF;
            }
        }
        return (double) sum / ((long) w * h);
    }
}
