package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_AAC_LOW;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_samples_set_silence;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The AAC-LC end of {@link AudioTranscoder}: a FIFO that re-blocks resampled audio into the encoder's 1024-sample
 * frames, the native {@code aac} encoder, and the output timeline.
 *
 * <p>Each frame sent to the encoder is stamped with the presentation time of its first sample. libavcodec then
 * stamps each packet with its frame's time minus the encoder delay ({@code initial_padding}, 1024 samples of
 * priming), which is exactly the presentation time of what the packet decodes to: the first packet decodes to the
 * priming and is stamped one frame early, every later packet at the time of the samples it carries. That is the
 * priming compensation; a packet that would so get a negative timestamp is dropped.
 */
final class AacEncoder implements AutoCloseable {

    private AVCodecContext ctx;
    private AVPacket packet;
    private AVFrame frame;
    private AVAudioFifo fifo;
    private final int frameSize;
    private final AacConfig config;
    private int trackId;
    private long nextPts;
    private long samplesWritten;
    private long samplesRead;
    // {fifo position, wall clock, received nanos} of each input frame's first sample
    private final ArrayDeque<long[]> inputMarks = new ArrayDeque<>();
    // {pts, wall clock, received nanos} of each frame in the encoder, matched to packets by pts
    private final ArrayDeque<long[]> sentFrames = new ArrayDeque<>();

    private AacEncoder(AVCodecContext ctx) {
        this.ctx = ctx;
        try {
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            if (packet == null || packet.isNull() || frame == null || frame.isNull()) {
                throw new FfmpegException("av_packet_alloc/av_frame_alloc returned null");
            }
            frameSize = ctx.frame_size();
            fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, ctx.ch_layout().nb_channels(), frameSize * 4);
            if (fifo == null || fifo.isNull()) {
                throw new FfmpegException("av_audio_fifo_alloc returned null");
            }
            frame.nb_samples(frameSize).format(AV_SAMPLE_FMT_FLTP).sample_rate(ctx.sample_rate());
            FfmpegException.check(av_channel_layout_copy(frame.ch_layout(), ctx.ch_layout()),
                    "av_channel_layout_copy");
            FfmpegException.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            config = AacConfig.fromAudioSpecificConfig(Av.extradata(ctx));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static AacEncoder open(AudioSettings s) {
        AVCodec codec = avcodec_find_encoder_by_name("aac");
        if (codec == null || codec.isNull()) {
            throw new FfmpegException("this FFmpeg build has no aac encoder");
        }
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if (ctx == null || ctx.isNull()) {
            throw new FfmpegException("avcodec_alloc_context3(aac) returned null");
        }
        try {
            ctx.sample_fmt(AV_SAMPLE_FMT_FLTP);
            ctx.sample_rate(s.sampleRate());
            av_channel_layout_default(ctx.ch_layout(), s.channels());
            ctx.bit_rate(s.bitrate());
            ctx.profile(AV_PROFILE_AAC_LOW);
            ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            try (AVRational tb = Av.rational(1, s.sampleRate())) {
                ctx.time_base(tb);
            }
            FfmpegException.check(avcodec_open2(ctx, codec, (AVDictionary) null), "avcodec_open2(aac)");
        } catch (RuntimeException e) {
            avcodec_free_context(ctx);
            throw e;
        }
        return new AacEncoder(ctx);
    }

    AacConfig config() {
        return config;
    }

    /** The output channel layout (the encoder's), for configuring the resampler. */
    AVChannelLayout channelLayout() {
        return ctx.ch_layout();
    }

    int sampleRate() {
        return ctx.sample_rate();
    }

    void trackId(int trackId) {
        this.trackId = trackId;
    }

    /** Starts a new stretch of timeline: the next sample written is presented at {@code pts} (output rate). */
    void anchor(long pts) {
        if (av_audio_fifo_size(fifo) != 0) {
            throw new IllegalStateException("anchor with samples still queued; pad() first");
        }
        nextPts = pts;
    }

    /** Queues resampled samples (FLTP, output rate and layout) and encodes every full frame there is. */
    void write(PointerPointer<?> planes, int samples, long wallClockMillis, long receivedNanos,
            Consumer<MediaFrame> out) {
        if (samples <= 0) {
            return;
        }
        inputMarks.add(new long[] {samplesWritten, wallClockMillis, receivedNanos});
        int written = av_audio_fifo_write(fifo, planes, samples);
        if (written < samples) {
            throw new FfmpegException("av_audio_fifo_write", written < 0 ? written : -1);
        }
        samplesWritten += samples;
        while (av_audio_fifo_size(fifo) >= frameSize) {
            sendFromFifo(frameSize, frameSize, out);
        }
    }

    /** Completes a partial frame with silence and encodes it, so the FIFO is empty before a re-anchor. */
    void pad(Consumer<MediaFrame> out) {
        int queued = av_audio_fifo_size(fifo);
        if (queued > 0) {
            sendFromFifo(queued, frameSize, out);
        }
    }

    /** Encodes what is queued as a short last frame and drains the encoder. Nothing can be written afterwards. */
    void flush(Consumer<MediaFrame> out) {
        int queued = av_audio_fifo_size(fifo);
        if (queued > 0) {
            // The aac encoder accepts a short last frame (AV_CODEC_CAP_SMALL_LAST_FRAME): no padding needed.
            sendFromFifo(queued, queued, out);
        }
        int ret = avcodec_send_frame(ctx, (AVFrame) null);
        if (ret < 0 && ret != org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF) {
            throw new FfmpegException("avcodec_send_frame(aac flush)", ret);
        }
        receive(out);
    }

    private void sendFromFifo(int samples, int frameSamples, Consumer<MediaFrame> out) {
        FfmpegException.check(av_frame_make_writable(frame), "av_frame_make_writable");
        frame.nb_samples(frameSamples);
        int read = av_audio_fifo_read(fifo, frame.extended_data(), samples);
        if (read != samples) {
            throw new FfmpegException("av_audio_fifo_read", read < 0 ? read : -1);
        }
        if (frameSamples > samples) {
            av_samples_set_silence(frame.extended_data(), samples, frameSamples - samples,
                    frame.ch_layout().nb_channels(), AV_SAMPLE_FMT_FLTP);
        }
        while (secondStartsBy(inputMarks, samplesRead)) {
            inputMarks.poll();
        }
        long[] mark = inputMarks.isEmpty() ? new long[] {0, 0, 0} : inputMarks.peek();
        frame.pts(nextPts);
        sentFrames.add(new long[] {nextPts, mark[1], mark[2]});
        nextPts += frameSamples;
        samplesRead += samples;
        FfmpegException.check(avcodec_send_frame(ctx, frame), "avcodec_send_frame(aac)");
        receive(out);
    }

    private void receive(Consumer<MediaFrame> out) {
        while (true) {
            int ret = avcodec_receive_packet(ctx, packet);
            if (Av.isAgainOrEof(ret)) {
                return;
            }
            FfmpegException.check(ret, "avcodec_receive_packet(aac)");
            long pts = packet.pts();
            byte[] data = Av.bytes(packet);
            av_packet_unref(packet);
            while (secondStartsBy(sentFrames, pts)) {
                sentFrames.poll();
            }
            long[] origin = sentFrames.isEmpty() ? new long[] {0, 0, 0} : sentFrames.peek();
            if (pts < 0) {
                // Only the priming of a stream that starts at zero lands here: a timestamp a muxer cannot store.
                continue;
            }
            out.accept(new MediaFrame(trackId, MediaType.AUDIO, pts, 0, true, data, origin[1], origin[2]));
        }
    }

    // Whether the entry after the head already starts at or before the position: then the head is stale.
    private static boolean secondStartsBy(ArrayDeque<long[]> queue, long position) {
        if (queue.size() < 2) {
            return false;
        }
        Iterator<long[]> it = queue.iterator();
        it.next();
        return it.next()[0] <= position;
    }

    @Override
    public void close() {
        ctx = Av.free(ctx);
        packet = Av.free(packet);
        frame = Av.free(frame);
        if (fifo != null) {
            av_audio_fifo_free(fifo);
            fifo = null;
        }
    }
}
