package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Test input made with the plain avcodec API: a sine tone encoded with libopus or the native aac encoder, as the
 * MediaFrames ingest would produce (timestamps in the sample rate, offset by {@code startPts}); and AAC decoded
 * back to samples for checking what came out.
 */
public final class TestAudio {

    public record Encoded(byte[] extradata, List<MediaFrame> frames) {
    }

    private TestAudio() {
    }

    public static Encoded tone(String encoderName, int rate, int channels, double hz, double seconds, long startPts) {
        AVCodec codec = avcodec_find_encoder_by_name(encoderName);
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        AVFrame frame = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        boolean interleaved = encoderName.equals("libopus");
        int format = interleaved ? AV_SAMPLE_FMT_FLT : AV_SAMPLE_FMT_FLTP;
        try {
            ctx.sample_fmt(format).sample_rate(rate).bit_rate(channels * 64_000L);
            av_channel_layout_default(ctx.ch_layout(), channels);
            ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            try (AVRational tb = Av.rational(1, rate)) {
                ctx.time_base(tb);
            }
            FfmpegException.check(avcodec_open2(ctx, codec, (AVDictionary) null), "avcodec_open2");
            int n = ctx.frame_size();
            frame.nb_samples(n).format(format).sample_rate(rate);
            av_channel_layout_copy(frame.ch_layout(), ctx.ch_layout());
            FfmpegException.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            List<MediaFrame> frames = new ArrayList<>();
            long total = Math.round(seconds * rate);
            for (long s = 0; s < total; s += n) {
                FfmpegException.check(av_frame_make_writable(frame), "av_frame_make_writable");
                float[] mono = new float[n];
                for (int i = 0; i < n; i++) {
                    mono[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * (s + i) / rate));
                }
                if (interleaved) {
                    float[] all = new float[n * channels];
                    for (int i = 0; i < all.length; i++) {
                        all[i] = mono[i / channels];
                    }
                    new FloatPointer(frame.data(0)).put(all, 0, all.length);
                } else {
                    for (int c = 0; c < channels; c++) {
                        new FloatPointer(frame.data(c)).put(mono, 0, n);
                    }
                }
                frame.pts(s);
                FfmpegException.check(avcodec_send_frame(ctx, frame), "avcodec_send_frame");
                drain(ctx, pkt, startPts, rate, frames);
            }
            FfmpegException.check(avcodec_send_frame(ctx, (AVFrame) null), "avcodec_send_frame(flush)");
            drain(ctx, pkt, startPts, rate, frames);
            return new Encoded(Av.extradata(ctx), frames);
        } finally {
            av_packet_free(pkt);
            av_frame_free(frame);
            avcodec_free_context(ctx);
        }
    }

    private static void drain(AVCodecContext ctx, AVPacket pkt, long startPts, int rate, List<MediaFrame> out) {
        while (avcodec_receive_packet(ctx, pkt) >= 0) {
            long pts = startPts + pkt.pts();
            // wall clock: one ms per ms of media, so tests can check the output keeps the input's
            out.add(new MediaFrame(2, MediaType.AUDIO, pts, 0, true, Av.bytes(pkt), pts * 1000 / rate, pts));
            av_packet_unref(pkt);
        }
    }

    /** Decodes AAC access units with the native decoder; returns the samples of each channel. */
    public static float[][] decodeAac(byte[] asc, List<MediaFrame> frames) {
        AVCodec codec = avcodec_find_decoder_by_name("aac");
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        AVFrame frame = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        try {
            Av.setExtradata(ctx, asc);
            FfmpegException.check(avcodec_open2(ctx, codec, (AVDictionary) null), "avcodec_open2(aac)");
            List<float[][]> chunks = new ArrayList<>();
            for (MediaFrame f : frames) {
                Av.fill(pkt, f.data());
                FfmpegException.check(avcodec_send_packet(ctx, pkt), "avcodec_send_packet");
                av_packet_unref(pkt);
                while (avcodec_receive_frame(ctx, frame) >= 0) {
                    int channels = frame.ch_layout().nb_channels();
                    float[][] chunk = new float[channels][frame.nb_samples()];
                    for (int c = 0; c < channels; c++) {
                        new FloatPointer(frame.extended_data(c)).get(chunk[c], 0, chunk[c].length);
                    }
                    chunks.add(chunk);
                    av_frame_unref(frame);
                }
            }
            int channels = chunks.isEmpty() ? 0 : chunks.get(0).length;
            int total = chunks.stream().mapToInt(c -> c[0].length).sum();
            float[][] out = new float[channels][total];
            int pos = 0;
            for (float[][] chunk : chunks) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(chunk[c], 0, out[c], pos, chunk[c].length);
                }
                pos += chunk[0].length;
            }
            return out;
        } finally {
            av_packet_free(pkt);
            av_frame_free(frame);
            avcodec_free_context(ctx);
        }
    }

    /** The frequency of a tone from its zero crossings between two sample positions. */
    public static double frequency(float[] samples, int from, int to, int rate) {
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if ((samples[i - 1] < 0) != (samples[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / ((to - from) / (double) rate);
    }

    /** RMS level between two sample positions. */
    public static double rms(float[] samples, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += samples[i] * samples[i];
        }
        return Math.sqrt(sum / (to - from));
    }
}
