package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/** What the FFmpeg stages share: the C macros the JavaCPP preset does not map, and byte copies in and out. */
final class Av {

    /** {@code AVERROR(EAGAIN)} on Linux: the macro is not mapped by the preset. */
    static final int EAGAIN = -11;
    /** {@code AV_FRAME_FLAG_KEY} (libavutil/frame.h), which replaced {@code AVFrame.key_frame} in FFmpeg 7. */
    static final int FRAME_FLAG_KEY = 1 << 1;
    /** {@code FF_THREAD_FRAME} and {@code FF_THREAD_SLICE} (libavcodec/avcodec.h). */
    static final int THREAD_FRAME = 1;
    static final int THREAD_SLICE = 2;

    static {
        // FFmpeg logs to stderr, outside our log format (and the JSON logs), at INFO by default: the AAC encoder's
        // "Qavg" line at every close, x264's statistics. Errors only; what matters reaches us as return codes.
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private Av() {
    }

    /**
     * Frees what a stage holds, each when it is there, and returns null for the field: a stage's close() is then
     * {@code ctx = Av.free(ctx);} per resource, and closing twice is harmless.
     */
    static AVCodecContext free(AVCodecContext ctx) {
        if (ctx != null) {
            avcodec_free_context(ctx);
        }
        return null;
    }

    static AVPacket free(AVPacket packet) {
        if (packet != null) {
            av_packet_free(packet);
        }
        return null;
    }

    static AVFrame free(AVFrame frame) {
        if (frame != null) {
            av_frame_free(frame);
        }
        return null;
    }

    /** Whether a send/receive return code only means "nothing more for now" rather than a failure. */
    static boolean isAgainOrEof(int ret) {
        return ret == EAGAIN || ret == org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
    }

    /**
     * Copies {@code bytes} into the codec context as its extradata. The buffer comes from av_mallocz, padded as
     * libavcodec requires, because avcodec_free_context releases it with av_free.
     */
    static void setExtradata(AVCodecContext ctx, byte[] bytes) {
        Pointer mem = av_mallocz(bytes.length + AV_INPUT_BUFFER_PADDING_SIZE);
        if (mem == null || mem.isNull()) {
            throw new FfmpegException("av_mallocz of " + bytes.length + " bytes of extradata failed");
        }
        BytePointer extradata = new BytePointer(mem);
        extradata.put(bytes, 0, bytes.length);
        ctx.extradata(extradata);
        ctx.extradata_size(bytes.length);
    }

    /** The codec context's extradata as a Java array (empty when there is none). */
    static byte[] extradata(AVCodecContext ctx) {
        int size = ctx.extradata_size();
        BytePointer data = ctx.extradata();
        if (size <= 0 || data == null || data.isNull()) {
            return new byte[0];
        }
        byte[] out = new byte[size];
        data.get(out, 0, size);
        return out;
    }

    /** Fills an unreferenced packet with a copy of {@code bytes} (av_new_packet adds the zeroed padding). */
    static void fill(AVPacket pkt, byte[] bytes) {
        FfmpegException.check(av_new_packet(pkt, bytes.length), "av_new_packet");
        pkt.data().put(bytes, 0, bytes.length);
    }

    static byte[] bytes(AVPacket pkt) {
        byte[] out = new byte[pkt.size()];
        pkt.data().get(out, 0, out.length);
        return out;
    }

    /** A native rational for a setter; the caller closes it so the copy is freed at once rather than at GC. */
    static AVRational rational(int num, int den) {
        return new AVRational().num(num).den(den);
    }
}
