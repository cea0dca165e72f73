package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc;
import static org.bytedeco.ffmpeg.global.swresample.swr_config_frame;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert_frame;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.OpusConfig;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcodes one audio track, AAC or Opus, to AAC-LC at the output rate and channel count: decoder, libswresample
 * (any rate, mono upmixed to stereo), then {@link AacEncoder} (FIFO re-blocking to 1024 samples, native encoder).
 *
 * <p>Opus is decoded by FFmpeg's native {@code opus} decoder rather than {@code libopus}: it is in every FFmpeg
 * build (LGPL ones too), outputs planar float (what the resampler and the AAC encoder want) and applies the
 * OpusHead pre-skip itself, shifting the first samples' timestamp accordingly.
 *
 * <p>The output timeline follows the input's: the first decoded samples anchor it (their pts rescaled to the
 * output rate), then it advances by the samples actually produced, 1024 per AAC frame, so A/V sync holds within one
 * AAC frame whatever the resampling. When the input timestamps jump away from what the samples predict by more than
 * 100 ms (a gap, a publisher's discontinuity), the pending partial frame is padded with silence and encoded, and the
 * timeline is re-anchored to the input (logged). Output timestamps are presentation times: the encoder's priming is
 * compensated as {@link AacEncoder} describes, so the first AAC frame (the priming) is stamped one frame before the
 * first input sample and the second exactly at it; frames that would be stamped below zero are dropped.
 */
public final class AudioTranscoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AudioTranscoder.class);

    private final int inputTimescale;
    private AVCodecContext decoder;
    private AVPacket packet;
    private AVFrame decoded;
    private AVFrame resampled;
    private SwrContext swr;
    private AacEncoder encoder;
    private long expectedInputPts = Long.MIN_VALUE;
    private long errors;
    private long reanchors;
    private long lastWallClockMillis;
    private long lastReceivedNanos;
    // what the resampler was configured for
    private int inRate;
    private int inFormat;
    private int inChannels;

    private AudioTranscoder(int inputTimescale) {
        this.inputTimescale = inputTimescale;
    }

    /** Opens a decoder for {@code input} and an AAC-LC encoder for {@code out}. */
    public static AudioTranscoder open(AudioCodecConfig input, AudioSettings out) {
        int timescale = input instanceof OpusConfig ? OpusConfig.SAMPLE_RATE : input.sampleRate();
        AudioTranscoder t = new AudioTranscoder(timescale);
        try {
            t.openDecoder(input);
            t.packet = av_packet_alloc();
            t.decoded = av_frame_alloc();
            t.resampled = av_frame_alloc();
            if (t.packet == null || t.packet.isNull() || t.decoded == null || t.decoded.isNull()
                    || t.resampled == null || t.resampled.isNull()) {
                throw new FfmpegException("av_packet_alloc/av_frame_alloc returned null");
            }
            t.encoder = AacEncoder.open(out);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void openDecoder(AudioCodecConfig input) {
        String name = input instanceof OpusConfig ? "opus" : "aac";
        AVCodec codec = avcodec_find_decoder_by_name(name);
        if (codec == null || codec.isNull()) {
            throw new FfmpegException("this FFmpeg build has no " + name + " decoder");
        }
        decoder = avcodec_alloc_context3(codec);
        if (decoder == null || decoder.isNull()) {
            decoder = null;
            throw new FfmpegException("avcodec_alloc_context3(" + name + ") returned null");
        }
        if (input instanceof OpusConfig opus) {
            Av.setExtradata(decoder, opus.opusHead());
            decoder.sample_rate(OpusConfig.SAMPLE_RATE);
            av_channel_layout_default(decoder.ch_layout(), opus.channels());
        } else if (input instanceof AacConfig aac) {
            Av.setExtradata(decoder, aac.audioSpecificConfig());
        } else {
            throw new IllegalArgumentException("no decoder for " + input);
        }
        try (AVRational tb = Av.rational(1, inputTimescale)) {
            decoder.pkt_timebase(tb);
        }
        FfmpegException.check(avcodec_open2(decoder, codec, (AVDictionary) null), "avcodec_open2(" + name + ")");
    }

    /** The output track's AudioSpecificConfig, from the encoder. */
    public AacConfig config() {
        return encoder.config();
    }

    /**
     * Decodes one input frame (timestamps in the input's timescale) and emits every AAC frame that completes:
     * timestamps at the output rate, the input's track id and, approximately, its wall clock.
     */
    public void transcode(MediaFrame frame, Consumer<MediaFrame> out) {
        ensureOpen();
        encoder.trackId(frame.trackId());
        lastWallClockMillis = frame.wallClockMillis();
        lastReceivedNanos = frame.receivedNanos();
        av_packet_unref(packet);
        Av.fill(packet, frame.data());
        packet.pts(frame.pts());
        packet.dts(frame.dts());
        int ret = avcodec_send_packet(decoder, packet);
        if (ret == Av.EAGAIN) {
            // The send/receive contract: drain first, then the packet is accepted.
            receive(frame.wallClockMillis(), frame.receivedNanos(), out);
            ret = avcodec_send_packet(decoder, packet);
        }
        av_packet_unref(packet);
        if (ret < 0) {
            countError("avcodec_send_packet", ret, frame);
        }
        receive(frame.wallClockMillis(), frame.receivedNanos(), out);
    }

    /** Drains the decoder, the resampler and the encoder (end of stream). */
    public void flush(Consumer<MediaFrame> out) {
        ensureOpen();
        int ret = avcodec_send_packet(decoder, (AVPacket) null);
        if (ret < 0 && ret != avutil.AVERROR_EOF) {
            throw new FfmpegException("avcodec_send_packet(flush)", ret);
        }
        receive(lastWallClockMillis, lastReceivedNanos, out);
        drainResampler(out);
        encoder.flush(out);
    }

    /** Input packets the decoder rejected as corrupt. */
    public long errors() {
        return errors;
    }

    /** How often the output timeline was re-anchored to a jump in the input's. */
    public long reanchors() {
        return reanchors;
    }

    private void receive(long wallClockMillis, long receivedNanos, Consumer<MediaFrame> out) {
        while (true) {
            int ret = avcodec_receive_frame(decoder, decoded);
            if (Av.isAgainOrEof(ret)) {
                return;
            }
            if (ret < 0) {
                countError("avcodec_receive_frame", ret, null);
                return;
            }
            try {
                onDecoded(wallClockMillis, receivedNanos, out);
            } finally {
                av_frame_unref(decoded);
            }
        }
    }

    private void onDecoded(long wallClockMillis, long receivedNanos, Consumer<MediaFrame> out) {
        long pts = decoded.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE) {
            pts = expectedInputPts == Long.MIN_VALUE ? 0 : expectedInputPts;
        }
        if (swr == null) {
            configureResampler();
            encoder.anchor(toOutputRate(pts));
        } else if (Math.abs(pts - expectedInputPts) > inputTimescale / 10 || inputChanged()) {
            reanchors++;
            log.info("audio input timeline jumped by {} ms (expected {}, got {}, timescale {}): re-anchoring output",
                    (pts - expectedInputPts) * 1000 / inputTimescale, expectedInputPts, pts, inputTimescale);
            // What is still buffered belongs to the old timeline: emit it there before starting the new one.
            drainResampler(out);
            encoder.pad(out);
            configureResampler();
            encoder.anchor(toOutputRate(pts));
        }
        expectedInputPts = pts + (long) decoded.nb_samples() * inputTimescale / decoded.sample_rate();
        convert(decoded, wallClockMillis, receivedNanos, out);
    }

    private long toOutputRate(long inputPts) {
        return Math.floorDiv(inputPts * encoder.sampleRate(), inputTimescale);
    }

    // The decoder's actual output (not the config's promise) sets the resampler up: an HE-AAC stream with implicit
    // SBR decodes at twice the rate its config says, a parametric-stereo one to two channels.
    private void configureResampler() {
        freeResampler();
        swr = swr_alloc();
        if (swr == null || swr.isNull()) {
            swr = null;
            throw new FfmpegException("swr_alloc returned null");
        }
        prepareOutputFrame();
        FfmpegException.check(swr_config_frame(swr, resampled, decoded), "swr_config_frame");
        FfmpegException.check(swr_init(swr), "swr_init");
        inRate = decoded.sample_rate();
        inFormat = decoded.format();
        inChannels = decoded.ch_layout().nb_channels();
    }

    private boolean inputChanged() {
        return decoded.sample_rate() != inRate || decoded.format() != inFormat
                || decoded.ch_layout().nb_channels() != inChannels;
    }

    // swr_convert_frame allocates the output itself when it is given only the format, rate and layout.
    private void prepareOutputFrame() {
        av_frame_unref(resampled);
        resampled.format(AV_SAMPLE_FMT_FLTP).sample_rate(encoder.sampleRate());
        FfmpegException.check(av_channel_layout_copy(resampled.ch_layout(), encoder.channelLayout()),
                "av_channel_layout_copy");
    }

    private void convert(AVFrame in, long wallClockMillis, long receivedNanos, Consumer<MediaFrame> out) {
        prepareOutputFrame();
        try {
            FfmpegException.check(swr_convert_frame(swr, resampled, in), "swr_convert_frame");
            encoder.write(resampled.extended_data(), resampled.nb_samples(), wallClockMillis, receivedNanos, out);
        } finally {
            av_frame_unref(resampled);
        }
    }

    private void drainResampler(Consumer<MediaFrame> out) {
        if (swr != null) {
            convert(null, lastWallClockMillis, lastReceivedNanos, out);
        }
    }

    private void countError(String call, int ret, MediaFrame frame) {
        errors++;
        if (log.isDebugEnabled()) {
            log.debug("audio decode error #{} in {}: {} ({}){}", errors, call, FfmpegException.describe(ret), ret,
                    frame == null ? "" : " at " + frame);
        }
    }

    private void ensureOpen() {
        if (encoder == null) {
            throw new IllegalStateException("AudioTranscoder is closed");
        }
    }

    private void freeResampler() {
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
    }

    @Override
    public void close() {
        freeResampler();
        decoder = Av.free(decoder);
        packet = Av.free(packet);
        decoded = Av.free(decoded);
        resampled = Av.free(resampled);
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }
}
