package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.codec.h264.NalUnits;
import io.estuary.media.frame.AvcConfig;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Encodes one rung's pictures to H.264 with libx264 (or libopenh264), for live ABR.
 *
 * <p>Keyframes are the caller's: every rung of a ladder must cut its segments at the same pictures, so IDRs come
 * only where {@link #encode} is told to force one (and, as a safety net, after {@code gopFrames} frames without
 * one). Scene-cut detection is off because it would put IDRs at different pictures in different rungs. There are
 * no B-frames, so packets come out in input order with dts = pts and no reorder delay. The parameter sets are
 * global headers ({@link #config()}), not repeated in the stream. Rate control is VBV-constrained (maxrate and
 * bufsize), so the bitrate a playlist advertises is the one a player sees.
 */
public final class VideoEncoder implements AutoCloseable {

    /** The H.264 encoders this server drives; {@code auto} picks the first this FFmpeg build has. */
    public static final List<String> H264_ENCODERS = List.of("libx264", "libopenh264");

    private final VideoEncoderSettings settings;
    private AVCodecContext ctx;
    private AVPacket packet;
    private AvcConfig config;

    private VideoEncoder(VideoEncoderSettings settings, AVCodecContext ctx, AVPacket packet) {
        this.settings = settings;
        this.ctx = ctx;
        this.packet = packet;
    }

    /**
     * The encoder to use for a configured name: the name itself, or for {@code auto} libx264 where the FFmpeg build
     * has it (the default GPL natives) and libopenh264 where it does not (the LGPL natives, {@code -Plgpl}), so the
     * same configuration runs on either build.
     */
    public static String choose(String configured) {
        if (!configured.equals("auto")) {
            return configured;
        }
        for (String name : H264_ENCODERS) {
            if (available(name)) {
                return name;
            }
        }
        throw new FfmpegException("this FFmpeg build has none of the H.264 encoders " + H264_ENCODERS);
    }

    /** Whether this FFmpeg build has the encoder. */
    public static boolean available(String name) {
        AVCodec codec = avcodec_find_encoder_by_name(name);
        return codec != null && !codec.isNull();
    }

    /** Opens the encoder; its SPS and PPS are available from {@link #config()} at once. */
    public static VideoEncoder open(VideoEncoderSettings s) {
        AVCodec codec = avcodec_find_encoder_by_name(s.encoder());
        if (codec == null || codec.isNull()) {
            throw new FfmpegException("this FFmpeg build has no " + s.encoder() + " encoder");
        }
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if (ctx == null || ctx.isNull()) {
            throw new FfmpegException("avcodec_alloc_context3(" + s.encoder() + ") returned null");
        }
        VideoEncoder encoder = new VideoEncoder(s, ctx, av_packet_alloc());
        try {
            configure(ctx, s);
            FfmpegException.check(avcodec_open2(ctx, codec, (AVDictionary) null), "avcodec_open2(" + s.encoder() + ")");
            if (encoder.packet == null || encoder.packet.isNull()) {
                throw new FfmpegException("av_packet_alloc returned null");
            }
            encoder.config = configFromExtradata(Av.extradata(ctx), s.encoder());
            return encoder;
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private static void configure(AVCodecContext ctx, VideoEncoderSettings s) {
        ctx.width(s.width());
        ctx.height(s.height());
        ctx.pix_fmt(AV_PIX_FMT_YUV420P);
        try (AVRational tb = Av.rational(1, 90_000); AVRational rate = av_d2q(s.frameRate(), 1_000_001)) {
            ctx.time_base(tb);
            // The frame rate is what puts VUI timing into the SPS and what rate control budgets per frame.
            ctx.framerate(rate);
        }
        ctx.bit_rate(s.bitrate());
        ctx.rc_max_rate(s.maxrate());
        ctx.rc_buffer_size(s.bufsize());
        ctx.gop_size(s.gopFrames());
        ctx.max_b_frames(0);
        ctx.thread_count(s.threads());
        ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        if (s.isOpenH264()) {
            configureOpenH264(ctx, s);
        } else {
            configureX264(ctx, s);
        }
    }

    private static void configureX264(AVCodecContext ctx, VideoEncoderSettings s) {
        setOption(ctx, "preset", s.preset());
        setOption(ctx, "tune", s.tune());
        setOption(ctx, "profile", s.profile());
        // A forced I picture becomes an IDR (not just an I picture a segment cannot start at).
        setOption(ctx, "forced-idr", "1");
        // scenecut=0: no IDR the caller did not ask for. force-cfr: VUI timing from the frame rate rather than
        // from the 1/90000 time base (which would read as 90000 fps). bframes=0 whatever the preset says.
        setOption(ctx, "x264-params", "scenecut=0:repeat-headers=0:force-cfr=1:bframes=0:open-gop=0");
    }

    private static void configureOpenH264(AVCodecContext ctx, VideoEncoderSettings s) {
        // openh264 has no preset or tune; its profile names differ only for baseline.
        String profile = "baseline".equals(s.profile()) ? "constrained_baseline" : s.profile();
        setOption(ctx, "profile", profile);
        // Dropping frames to meet the rate would leave holes in one rung that the others do not have.
        setOption(ctx, "allow_skip_frames", "0");
        setOption(ctx, "rc_mode", "bitrate");
    }

    private static void setOption(AVCodecContext ctx, String name, String value) {
        if (value != null && !value.isEmpty()) {
            FfmpegException.check(av_opt_set(ctx.priv_data(), name, value, 0),
                    "av_opt_set(" + name + "=" + value + ")");
        }
    }

    static AvcConfig configFromExtradata(byte[] extradata, String encoder) {
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        for (byte[] nal : AnnexB.split(extradata)) {
            switch (NalUnits.type(nal[0])) {
                case NalUnits.TYPE_SPS -> sps.add(nal);
                case NalUnits.TYPE_PPS -> pps.add(nal);
                default -> { } // x264 may add its version SEI to the global headers; it is not configuration
            }
        }
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new FfmpegException(encoder + " gave no SPS/PPS in its extradata (" + extradata.length + " bytes)");
        }
        return AvcConfig.fromAvcC(AvcDecoderConfigurationRecord.build(sps, pps));
    }

    /** The encoder's SPS and PPS as an avcC, for the rung's track. */
    public AvcConfig config() {
        return config;
    }

    public VideoEncoderSettings settings() {
        return settings;
    }

    /**
     * Encodes one picture and hands the packets the encoder outputs to {@code sink}. The picture must have the
     * settings' size in YUV420P ({@link Scaler} output). Its {@code pts} is set to {@code pts90k}; its
     * {@code pict_type} is set for the call and restored after, so the caller may hand the same picture to
     * several encoders, some forcing a keyframe and some not.
     */
    public void encode(AVFrame picture, long pts90k, boolean forceKeyframe, PacketSink sink) {
        ensureOpen();
        if (picture.width() != settings.width() || picture.height() != settings.height()
                || picture.format() != AV_PIX_FMT_YUV420P) {
            throw new IllegalArgumentException("picture " + picture.width() + "x" + picture.height() + " format "
                    + picture.format() + " does not match the encoder's " + settings.width() + "x"
                    + settings.height() + " yuv420p");
        }
        int savedType = picture.pict_type();
        picture.pts(pts90k);
        // A decoded picture carries the source's own I/P/B type, which libx264 would obey: clear it unless forcing.
        picture.pict_type(forceKeyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        int ret;
        try {
            ret = avcodec_send_frame(ctx, picture);
        } finally {
            picture.pict_type(savedType);
        }
        FfmpegException.check(ret, "avcodec_send_frame(" + settings.encoder() + ")");
        receive(sink);
    }

    /** Drains the packets the encoder still holds (end of stream). The encoder accepts no pictures afterwards. */
    public void flush(PacketSink sink) {
        ensureOpen();
        int ret = avcodec_send_frame(ctx, (AVFrame) null);
        if (ret < 0 && ret != avutil.AVERROR_EOF) {
            throw new FfmpegException("avcodec_send_frame(flush)", ret);
        }
        receive(sink);
    }

    private void receive(PacketSink sink) {
        while (true) {
            int ret = avcodec_receive_packet(ctx, packet);
            if (Av.isAgainOrEof(ret)) {
                return;
            }
            FfmpegException.check(ret, "avcodec_receive_packet(" + settings.encoder() + ")");
            byte[] avcc;
            long pts;
            long dts;
            boolean key;
            try {
                avcc = AnnexB.toAvcc(Av.bytes(packet));
                pts = packet.pts();
                dts = packet.dts();
                key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
            } finally {
                av_packet_unref(packet);
            }
            if (avcc.length > 0) {
                sink.packet(avcc, pts, dts, key);
            }
        }
    }

    private void ensureOpen() {
        if (ctx == null) {
            throw new IllegalStateException("VideoEncoder is closed");
        }
    }

    @Override
    public void close() {
        ctx = Av.free(ctx);
        packet = Av.free(packet);
    }
}
