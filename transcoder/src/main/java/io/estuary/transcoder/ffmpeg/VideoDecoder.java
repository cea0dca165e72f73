package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one H.264 track (length-prefixed access units, avcC as extradata) into pictures with libavcodec's
 * {@code h264} decoder.
 *
 * <p>Threading is slice threading, never frame threading: frame threading holds back one picture per extra thread
 * (with {@code threads = 0} on a 16-core host, about half a second of added latency), while slice threading adds
 * none. It only parallelizes streams coded with several slices, but a session decodes its source once and encodes
 * it once per rung, so the encoders, not the decoder, are where the cores go.
 *
 * <p>A packet the decoder rejects is logged at debug and counted in {@link #errors()}; decoding goes on with the
 * next one (the decoder conceals what it can until the next IDR).
 */
public final class VideoDecoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VideoDecoder.class);

    private AVCodecContext ctx;
    private AVPacket packet;
    private AVFrame picture;
    private long errors;
    private int width;
    private int height;
    private int pixelFormat;

    private VideoDecoder(AVCodecContext ctx, AVPacket packet, AVFrame picture) {
        this.ctx = ctx;
        this.packet = packet;
        this.picture = picture;
    }

    /**
     * Opens an h264 decoder for a track.
     *
     * @param config  the track's avcC, handed to the decoder as extradata
     * @param threads decoding threads; 0 lets libavcodec pick from the core count
     */
    public static VideoDecoder open(AvcConfig config, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0: " + threads);
        }
        AVCodec codec = avcodec_find_decoder_by_name("h264");
        if (codec == null || codec.isNull()) {
            throw new FfmpegException("this FFmpeg build has no h264 decoder");
        }
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if (ctx == null || ctx.isNull()) {
            throw new FfmpegException("avcodec_alloc_context3(h264) returned null");
        }
        VideoDecoder decoder = new VideoDecoder(ctx, av_packet_alloc(), av_frame_alloc());
        try {
            Av.setExtradata(ctx, config.avcC());
            try (AVRational tb = Av.rational(1, 90_000)) {
                ctx.pkt_timebase(tb);
                ctx.time_base(tb);
            }
            ctx.thread_count(threads);
            ctx.thread_type(Av.THREAD_SLICE);
            FfmpegException.check(avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
                    "avcodec_open2(h264)");
            if (decoder.packet == null || decoder.packet.isNull() || decoder.picture == null
                    || decoder.picture.isNull()) {
                throw new FfmpegException("av_packet_alloc/av_frame_alloc returned null");
            }
            return decoder;
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    /**
     * Decodes one access unit and hands every picture the decoder outputs to {@code sink}. The frame's dts and pts
     * (90 kHz) become the packet's; a packet the decoder rejects is counted, not thrown.
     */
    public void decode(MediaFrame frame, PictureSink sink) {
        ensureOpen();
        av_packet_unref(packet);
        Av.fill(packet, frame.data());
        packet.pts(frame.pts());
        packet.dts(frame.dts());
        packet.flags(frame.keyframe() ? AV_PKT_FLAG_KEY : 0);
        int ret = avcodec_send_packet(ctx, packet);
        if (ret == Av.EAGAIN) {
            // The send/receive contract: drain first, then the packet is accepted.
            receive(sink);
            ret = avcodec_send_packet(ctx, packet);
        }
        av_packet_unref(packet);
        if (ret < 0) {
            countError("avcodec_send_packet", ret, frame);
        }
        receive(sink);
    }

    /** Drains the pictures the decoder still holds (end of stream). The decoder accepts no packets afterwards. */
    public void flush(PictureSink sink) {
        ensureOpen();
        int ret = avcodec_send_packet(ctx, (AVPacket) null);
        if (ret < 0 && ret != avutil.AVERROR_EOF) {
            throw new FfmpegException("avcodec_send_packet(flush)", ret);
        }
        receive(sink);
    }

    /** Packets (or pictures) the decoder rejected as corrupt since it was opened. */
    public long errors() {
        return errors;
    }

    /** Width of the last decoded picture, 0 before the first. */
    public int width() {
        return width;
    }

    /** Height of the last decoded picture, 0 before the first. */
    public int height() {
        return height;
    }

    /** {@code AVPixelFormat} of the last decoded picture (0, which is also YUV420P, before the first). */
    public int pixelFormat() {
        return pixelFormat;
    }

    private void receive(PictureSink sink) {
        while (true) {
            int ret = avcodec_receive_frame(ctx, picture);
            if (Av.isAgainOrEof(ret)) {
                return;
            }
            if (ret < 0) {
                // With slice threading errors surface at send; anything here is still a bad stream, not a bug.
                countError("avcodec_receive_frame", ret, null);
                return;
            }
            try {
                width = picture.width();
                height = picture.height();
                pixelFormat = picture.format();
                sink.picture(picture, picture.best_effort_timestamp(), (picture.flags() & Av.FRAME_FLAG_KEY) != 0);
            } finally {
                av_frame_unref(picture);
            }
        }
    }

    private void countError(String call, int ret, MediaFrame frame) {
        errors++;
        if (log.isDebugEnabled()) {
            log.debug("h264 decode error #{} in {}: {} ({}){}", errors, call, FfmpegException.describe(ret), ret,
                    frame == null ? "" : " at " + frame);
        }
    }

    private void ensureOpen() {
        if (ctx == null) {
            throw new IllegalStateException("VideoDecoder is closed");
        }
    }

    @Override
    public void close() {
        ctx = Av.free(ctx);
        packet = Av.free(packet);
        picture = Av.free(picture);
    }
}
