package io.estuary.loadtests;

import io.estuary.loadtests.rtmp.FlvFile;
import io.estuary.loadtests.rtmp.SampleFlv;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cached 720p30 load clip ({@link SampleFlv}) as the MediaFrames ingest would make of it, so that the DRM
 * benchmarks encrypt real x264 slices and AAC frames rather than synthetic bytes. Mirrors what RTMP ingest does
 * (the protocols module's AvcTrack, package-private there): NAL units stay length-prefixed, AUD, filler and
 * in-band SPS/PPS are dropped, timestamps become 90 kHz (video) and the sample rate (audio).
 */
record ClipFrames(AvcConfig avc, AacConfig aac, List<MediaFrame> frames, double seconds) {

    private static final int NAL_SPS = 7;
    private static final int NAL_PPS = 8;
    private static final int NAL_AUD = 9;
    private static final int NAL_FILLER = 12;

    /** Reads the clip from load-tests/target (encoding it once with ffmpeg when it is not cached yet). */
    static ClipFrames load() {
        Path cache = Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "target") : Path.of("target");
        try {
            return of(FlvFile.read(SampleFlv.ensure(cache)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ClipFrames of(FlvFile flv) {
        AvcConfig avc = null;
        AacConfig aac = null;
        List<MediaFrame> frames = new ArrayList<>();
        for (FlvFile.Tag t : flv.tags()) {
            byte[] b = Arrays.copyOfRange(t.data(), t.offset(), t.offset() + t.length());
            if (t.config()) { // AVCDecoderConfigurationRecord or AudioSpecificConfig after a 5 / 2 byte FLV header
                if (t.type() == 9) {
                    avc = AvcConfig.fromAvcC(Arrays.copyOfRange(b, 5, b.length));
                } else {
                    aac = AacConfig.fromAudioSpecificConfig(Arrays.copyOfRange(b, 2, b.length));
                }
            } else if (t.type() == 9 && avc != null) {
                int cts = (b[2] << 16 | (b[3] & 0xff) << 8 | (b[4] & 0xff)); // signed 24-bit ms
                byte[] nals = videoSample(b, 5, avc.nalLengthSize());
                if (nals.length > 0) {
                    frames.add(new MediaFrame(1, MediaType.VIDEO, t.timestamp() * 90, cts * 90,
                            (b[0] & 0xf0) == 0x10, nals, 0, 0));
                }
            } else if (t.type() == 8 && aac != null) {
                frames.add(new MediaFrame(2, MediaType.AUDIO, t.timestamp() * aac.sampleRate() / 1000, 0, true,
                        Arrays.copyOfRange(b, 2, b.length), 0, 0));
            }
        }
        if (avc == null || aac == null) {
            throw new IllegalStateException("the clip lacks an AVC or AAC sequence header");
        }
        return new ClipFrames(avc, aac, List.copyOf(frames), flv.loopDurationMs() / 1000.0);
    }

    /** The NAL units of one FLV AVC packet from {@code pos}, without AUD, filler and parameter sets. */
    private static byte[] videoSample(byte[] b, int pos, int lengthSize) {
        byte[] out = new byte[b.length - pos];
        int n = 0;
        while (pos + lengthSize <= b.length) {
            int len = 0;
            for (int i = 0; i < lengthSize; i++) {
                len = len << 8 | (b[pos + i] & 0xff);
            }
            int end = pos + lengthSize + len;
            if (len <= 0 || end > b.length) {
                break; // x264 writes neither; a damaged packet keeps what came before
            }
            int type = b[pos + lengthSize] & 0x1f;
            if (type != NAL_AUD && type != NAL_FILLER && type != NAL_SPS && type != NAL_PPS) {
                System.arraycopy(b, pos, out, n, end - pos);
                n += end - pos;
            }
            pos = end;
        }
        return Arrays.copyOf(out, n);
    }

    List<TrackInfo> tracks() {
        return List.of(TrackInfo.video(1, avc), TrackInfo.audio(2, aac));
    }

    List<byte[]> samples(MediaType type) {
        return frames.stream().filter(f -> f.type() == type).map(MediaFrame::data).toList();
    }
}
