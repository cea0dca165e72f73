package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.h264.NalUnits;
import io.estuary.media.frame.AvcConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Encodes synthetic pictures with VideoEncoder and decodes them back with VideoDecoder. */
class VideoRoundTripTest {

    static final int W = 640;
    static final int H = 360;
    static final int FRAMES = 90;
    static final long TICKS = 3000; // 90 kHz at 30 fps
    static final long START = 900_000;
    static final Set<Integer> FORCED = Set.of(0, 30, 75);

    @BeforeAll
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    static VideoEncoderSettings settings(int w, int h, int bitrate) {
        return new VideoEncoderSettings(VideoEncoder.choose("auto"), w, h, 30, bitrate, bitrate * 11 / 10,
                bitrate * 2, "veryfast", "zerolatency", "high", 1000, 2);
    }

    static List<EncodedPacket> encode(VideoEncoder encoder, int frames, int noise, Set<Integer> forced) {
        List<EncodedPacket> packets = new ArrayList<>();
        PacketSink sink = (data, pts, dts, key) -> packets.add(new EncodedPacket(data, pts, dts, key));
        Random random = new Random(7);
        AVFrame picture = TestPictures.alloc(encoder.settings().width(), encoder.settings().height());
        try {
            for (int i = 0; i < frames; i++) {
                TestPictures.fill(picture, i, noise, random);
                encoder.encode(picture, START + i * TICKS, forced.contains(i), sink);
            }
            encoder.flush(sink);
        } finally {
            avutil.av_frame_free(picture);
        }
        return packets;
    }

    @Test
    void keyframesExactlyWhereForcedAndPicturesSurviveTheRoundTrip() {
        List<EncodedPacket> packets;
        AvcConfig config;
        try (VideoEncoder encoder = VideoEncoder.open(settings(W, H, 1_500_000))) {
            config = encoder.config();
            packets = encode(encoder, FRAMES, 0, FORCED);
        }
        assertEquals(FRAMES, packets.size());
        Set<Integer> keyframes = new TreeSet<>();
        for (int i = 0; i < packets.size(); i++) {
            EncodedPacket p = packets.get(i);
            assertEquals(START + i * TICKS, p.pts(), "pts of packet " + i + " (input order)");
            assertEquals(p.pts(), p.dts(), "no B-frames: dts = pts");
            if (p.keyframe()) {
                keyframes.add(i);
            }
            assertOnlySliceNals(p.data(), p.keyframe());
        }
        assertEquals(new TreeSet<>(FORCED), keyframes);
        assertEquals(W, config.width());
        assertEquals(H, config.height());
        assertEquals(100, config.spsInfo().profileIdc(), "High profile");
        if (VideoEncoder.choose("auto").equals("libx264")) { // openh264 writes no VUI timing; the packager measures
            assertEquals(30.0, config.frameRate(), 0.01, "VUI timing");
        }
        System.out.printf("round trip: %s, %d packets, %d bytes, keyframes %s%n", config, packets.size(),
                packets.stream().mapToInt(p -> p.data().length).sum(), keyframes);

        List<Long> pts = new ArrayList<>();
        Set<Integer> decodedKeys = new TreeSet<>();
        double[] minPsnr = {99};
        double[] minMean = {255};
        try (VideoDecoder decoder = VideoDecoder.open(config, 0)) {
            PictureSink sink = (picture, pts90k, key) -> {
                int index = pts.size();
                assertEquals(W, picture.width());
                assertEquals(H, picture.height());
                assertEquals(avutil.AV_PIX_FMT_YUV420P, picture.format());
                minPsnr[0] = Math.min(minPsnr[0], TestPictures.lumaPsnr(picture, index));
                minMean[0] = Math.min(minMean[0], TestPictures.meanLuma(picture));
                if (key) {
                    decodedKeys.add(index);
                }
                pts.add(pts90k);
            };
            for (EncodedPacket p : packets) {
                decoder.decode(p.toFrame(), sink);
            }
            decoder.flush(sink);
            assertEquals(0, decoder.errors());
            assertEquals(W, decoder.width());
            assertEquals(H, decoder.height());
            assertEquals(avutil.AV_PIX_FMT_YUV420P, decoder.pixelFormat());
        }
        assertEquals(FRAMES, pts.size());
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(START + i * TICKS, pts.get(i));
        }
        assertEquals(new TreeSet<>(FORCED), decodedKeys);
        System.out.printf("round trip: min luma PSNR %.1f dB, min mean luma %.1f%n", minPsnr[0], minMean[0]);
        assertTrue(minPsnr[0] > 30, "luma PSNR " + minPsnr[0]);
        assertTrue(minMean[0] > 50, "not black: " + minMean[0]);
    }

    @Test
    void forcingAKeyframeLeavesThePicturesTypeAsItWas() {
        try (VideoEncoder encoder = VideoEncoder.open(settings(160, 120, 200_000))) {
            AVFrame picture = TestPictures.alloc(160, 120);
            try {
                TestPictures.fill(picture, 0, 0, null);
                picture.pict_type(avutil.AV_PICTURE_TYPE_P);
                encoder.encode(picture, 0, true, (d, p, dts, k) -> { });
                assertEquals(avutil.AV_PICTURE_TYPE_P, picture.pict_type());
                assertEquals(0, picture.pts());
            } finally {
                avutil.av_frame_free(picture);
            }
        }
    }

    static void assertOnlySliceNals(byte[] avcc, boolean keyframe) {
        int pos = 0;
        List<Integer> types = new ArrayList<>();
        while (pos < avcc.length) {
            int len = (avcc[pos] & 0xFF) << 24 | (avcc[pos + 1] & 0xFF) << 16 | (avcc[pos + 2] & 0xFF) << 8
                    | (avcc[pos + 3] & 0xFF);
            assertTrue(len > 0 && pos + 4 + len <= avcc.length, "NAL length " + len + " at " + pos);
            types.add(NalUnits.type(avcc[pos + 4]));
            pos += 4 + len;
        }
        assertEquals(avcc.length, pos);
        int expected = keyframe ? NalUnits.TYPE_IDR : NalUnits.TYPE_NON_IDR;
        assertArrayEquals(new Object[] {expected}, types.stream().distinct().toArray(), "NAL types " + types);
    }
}
