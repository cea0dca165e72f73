package io.estuary.loadtests.whip;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import io.estuary.loadtests.rtmp.SampleFlv;
import io.estuary.media.codec.h264.NalUnits;
import io.estuary.media.frame.AvcConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The clip the WHIP load publisher replays, as a browser would send it: 10 s of 640x360 30 fps H.264 (constrained
 * baseline, no B-frames, a keyframe every 2 s) as NAL units on a 90 kHz clock, and 48 kHz stereo Opus in 20 ms
 * packets. Encoded once with ffmpeg into an MP4 file (its timescales keep 30 fps and 20 ms exact, where Matroska
 * rounds to the millisecond) and read with libavformat, so a load run spends no CPU on encoding and every stream
 * sends the same bytes.
 *
 * @param sps          the sequence parameter set, sent in a STAP-A before each IDR picture
 * @param pps          the picture parameter set, likewise
 * @param video        the pictures in decoding order (which is presentation order: no B-frames)
 * @param audio        the Opus packets, one per RTP packet
 * @param loopMicros   the clip's length: a loop's timestamps continue from the previous one's plus this
 */
public record WhipClip(byte[] sps, byte[] pps, List<Picture> video, List<OpusPacket> audio, long loopMicros) {
    public static final String FILE_NAME = "whip-360p30-h264-opus.mp4";
    /** The same pictures with AAC instead of Opus, in FLV: what the RTMP side of the benchmark replays. */
    public static final String FLV_FILE_NAME = "whip-360p30-h264-aac.flv";
    public static final int VIDEO_CLOCK = 90_000;
    public static final int OPUS_CLOCK = 48_000;
    /** Far above a 10 s clip's 300 pictures and 500 packets; a bound on what a strange file makes us hold. */
    private static final int MAX_PACKETS = 100_000;
    private static final int MAX_NALS_PER_PICTURE = 256;

    public WhipClip {
        video = List.copyOf(video);
        audio = List.copyOf(audio);
    }

    /** One picture: its NAL units (no start codes, no parameter sets) and its time on the 90 kHz clock. */
    public record Picture(long timestamp, boolean keyframe, List<byte[]> nalUnits) {
        public Picture {
            nalUnits = List.copyOf(nalUnits);
        }
    }

    /** One Opus packet and its time on the 48 kHz clock. */
    public record OpusPacket(long timestamp, byte[] data) {
    }

    /** Reads the clip from {@code dir}, encoding it first with ffmpeg when it is not there yet. */
    public static WhipClip load(Path dir) throws IOException, InterruptedException {
        return read(ensure(dir));
    }

    /** Returns {@code dir/FILE_NAME}, encoding it first when it is not there yet (~10 s of CPU). */
    public static Path ensure(Path dir) throws IOException, InterruptedException {
        return SampleFlv.cached(dir, FILE_NAME, 120, List.of(
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "10",
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-bf", "0",
                "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-b:v", "1000k", "-pix_fmt", "yuv420p",
                "-c:a", "libopus", "-frame_duration", "20", "-b:a", "64k", "-ar", "48000", "-ac", "2",
                "-f", "mp4"));
    }

    /**
     * Returns {@code dir/FLV_FILE_NAME}: the clip's H.264 copied bit for bit, its audio re-encoded from the Opus to
     * AAC (FLV carries no Opus), so that WHIP and RTMP publishers send the same pictures.
     */
    public static Path ensureFlv(Path dir) throws IOException, InterruptedException {
        Path mkv = ensure(dir);
        return SampleFlv.cached(dir, FLV_FILE_NAME, 60, List.of("-i", mkv.toString(), "-c:v", "copy",
                "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-f", "flv"));
    }

    /**
     * Reads an H.264 + Opus file with libavformat. Timestamps are rebased so that the first picture is at 0; Opus
     * packets before it (the encoder's pre-skip) and anything past the clip's end are left out, so that a loop is
     * exactly {@link #loopMicros} long on both clocks.
     *
     * @throws IOException when the file cannot be read, lacks H.264 or Opus, or is over {@value #MAX_PACKETS}
     *         packets
     */
    public static WhipClip read(Path file) throws IOException {
        AVFormatContext fmt = new AVFormatContext(null);
        check(avformat_open_input(fmt, file.toString(), (AVInputFormat) null, (AVDictionary) null), "open " + file);
        AVPacket pkt = av_packet_alloc();
        try {
            check(avformat_find_stream_info(fmt, (PointerPointer<?>) null), "find_stream_info");
            int videoIndex = -1;
            int audioIndex = -1;
            AvcConfig avc = null;
            for (int i = 0; i < fmt.nb_streams(); i++) {
                AVCodecParameters par = fmt.streams(i).codecpar();
                if (par.codec_id() == AV_CODEC_ID_H264 && videoIndex < 0) {
                    videoIndex = i;
                    byte[] extradata = new byte[par.extradata_size()];
                    par.extradata().get(extradata);
                    avc = AvcConfig.fromAvcC(extradata);
                } else if (par.codec_id() == AV_CODEC_ID_OPUS && audioIndex < 0) {
                    audioIndex = i;
                }
            }
            if (avc == null || audioIndex < 0) {
                throw new IOException(file + " lacks an H.264 (avcC) or an Opus stream");
            }
            AVRational videoBase = fmt.streams(videoIndex).time_base();
            AVRational audioBase = fmt.streams(audioIndex).time_base();
            List<Picture> pictures = new ArrayList<>();
            List<OpusPacket> opus = new ArrayList<>();
            int packets = 0;
            while (av_read_frame(fmt, pkt) >= 0) {
                try {
                    if (++packets > MAX_PACKETS) {
                        throw new IOException(file + " has more than " + MAX_PACKETS + " packets");
                    }
                    byte[] data = new byte[pkt.size()];
                    pkt.data().get(data);
                    long pts = pkt.pts() == Long.MIN_VALUE ? pkt.dts() : pkt.pts(); // AV_NOPTS_VALUE
                    if (pkt.stream_index() == videoIndex) {
                        long ts = rescale(pts, videoBase, VIDEO_CLOCK);
                        pictures.add(new Picture(ts, (pkt.flags() & AV_PKT_FLAG_KEY) != 0,
                                nalUnits(data, avc.nalLengthSize())));
                    } else if (pkt.stream_index() == audioIndex) {
                        opus.add(new OpusPacket(rescale(pts, audioBase, OPUS_CLOCK), data));
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            return rebase(avc, pictures, opus, file);
        } finally {
            av_packet_free(pkt);
            avformat_close_input(fmt);
        }
    }

    private static WhipClip rebase(AvcConfig avc, List<Picture> pictures, List<OpusPacket> opus, Path file)
            throws IOException {
        if (pictures.size() < 2 || !pictures.get(0).keyframe()) {
            throw new IOException(file + ": the video must start with a keyframe and have two pictures at least");
        }
        long start = pictures.get(0).timestamp();
        long frameTicks = pictures.get(1).timestamp() - start;
        long endTicks = pictures.get(pictures.size() - 1).timestamp() - start + frameTicks;
        long loopMicros = endTicks * 1_000_000 / VIDEO_CLOCK;
        List<Picture> video = new ArrayList<>(pictures.size());
        for (Picture p : pictures) {
            video.add(new Picture(p.timestamp() - start, p.keyframe(), p.nalUnits()));
        }
        long audioStart = start * OPUS_CLOCK / VIDEO_CLOCK;
        long audioEnd = loopMicros * OPUS_CLOCK / 1_000_000;
        List<OpusPacket> audio = new ArrayList<>(opus.size());
        for (OpusPacket p : opus) {
            long ts = p.timestamp() - audioStart;
            if (ts >= 0 && ts < audioEnd) {
                audio.add(new OpusPacket(ts, p.data()));
            }
        }
        return new WhipClip(avc.sps().get(0), avc.pps().get(0), video, audio, loopMicros);
    }

    /** A length-prefixed (AVCC) access unit as NAL units, without parameter sets, delimiters or SEI. */
    static List<byte[]> nalUnits(byte[] avcc, int lengthSize) throws IOException {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < avcc.length) {
            if (at + lengthSize > avcc.length) {
                throw new IOException("truncated NAL unit length at byte " + at);
            }
            int length = 0;
            for (int i = 0; i < lengthSize; i++) {
                length = length << 8 | (avcc[at + i] & 0xFF);
            }
            at += lengthSize;
            if (length <= 0 || length > avcc.length - at) {
                throw new IOException("NAL unit of " + length + " bytes at byte " + at + " of " + avcc.length);
            }
            if (out.size() == MAX_NALS_PER_PICTURE) {
                throw new IOException("more than " + MAX_NALS_PER_PICTURE + " NAL units in one picture");
            }
            int type = NalUnits.type(avcc[at]);
            // The parameter sets go in a STAP-A of their own; SEI (x264's banner) and delimiters mean nothing here.
            if (type != NalUnits.TYPE_SPS && type != NalUnits.TYPE_PPS && type != NalUnits.TYPE_SEI
                    && type != NalUnits.TYPE_AUD) {
                out.add(Arrays.copyOfRange(avcc, at, at + length));
            }
            at += length;
        }
        return out;
    }

    private static long rescale(long ts, AVRational base, int clock) {
        return Math.round(ts * (double) base.num() * clock / base.den());
    }

    private static void check(int ret, String what) throws IOException {
        if (ret < 0) {
            throw new IOException("libavformat " + what + " failed: " + ret);
        }
    }
}
