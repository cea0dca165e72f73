package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Converts pictures to one rung's size in YUV420P with libswscale.
 *
 * <p>The filter is bicubic, which is what FFmpeg's {@code scale} filter uses when given no flags: a ladder made here
 * and one made with the ffmpeg CLI then differ by their encoders only, so comparing them (quality, bitrate) is fair.
 * The swscale context is made for the source's size and format and remade when a source changes either
 * (a publisher changing resolution mid-stream).
 */
public final class Scaler implements AutoCloseable {

    private final int dstWidth;
    private final int dstHeight;
    private SwsContext sws;
    private AVFrame out;
    private int srcWidth = -1;
    private int srcHeight = -1;
    private int srcFormat = -1;
    private boolean closed;

    public Scaler(int dstWidth, int dstHeight) {
        if (dstWidth <= 0 || dstHeight <= 0 || dstWidth % 2 != 0 || dstHeight % 2 != 0) {
            throw new IllegalArgumentException("destination size must be even and positive: "
                    + dstWidth + "x" + dstHeight);
        }
        this.dstWidth = dstWidth;
        this.dstHeight = dstHeight;
    }

    /**
     * Scales {@code src} to the destination size in YUV420P. Returns a frame the scaler owns and reuses, valid
     * until the next call or {@link #close()}; or {@code src} itself when it already has the destination size and
     * format. Only the picture is converted: timestamps and flags are the caller's business.
     */
    public AVFrame scale(AVFrame src) {
        if (closed) {
            throw new IllegalStateException("Scaler is closed");
        }
        if (src.width() == dstWidth && src.height() == dstHeight && src.format() == AV_PIX_FMT_YUV420P) {
            return src;
        }
        if (sws == null || src.width() != srcWidth || src.height() != srcHeight || src.format() != srcFormat) {
            configure(src.width(), src.height(), src.format());
        }
        // An encoder may still hold a reference to the last picture: writable means copy-on-write if so.
        FfmpegException.check(av_frame_make_writable(out), "av_frame_make_writable");
        int rows = sws_scale(sws, src.data(), src.linesize(), 0, src.height(), out.data(), out.linesize());
        if (rows != dstHeight) {
            throw new FfmpegException("sws_scale", rows < 0 ? rows : -1);
        }
        return out;
    }

    public int width() {
        return dstWidth;
    }

    public int height() {
        return dstHeight;
    }

    private void configure(int width, int height, int format) {
        freeSws();
        sws = sws_getContext(width, height, format, dstWidth, dstHeight, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
                (SwsFilter) null, (SwsFilter) null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            sws = null;
            throw new FfmpegException("sws_getContext " + width + "x" + height + " format " + format + " to "
                    + dstWidth + "x" + dstHeight + " yuv420p is not supported");
        }
        srcWidth = width;
        srcHeight = height;
        srcFormat = format;
        if (out == null) {
            out = av_frame_alloc();
            if (out == null || out.isNull()) {
                out = null;
                throw new FfmpegException("av_frame_alloc returned null");
            }
            out.width(dstWidth).height(dstHeight).format(AV_PIX_FMT_YUV420P);
            FfmpegException.check(av_frame_get_buffer(out, 0), "av_frame_get_buffer");
        }
    }

    private void freeSws() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        freeSws();
        if (out != null) {
            av_frame_free(out);
            out = null;
        }
    }
}
