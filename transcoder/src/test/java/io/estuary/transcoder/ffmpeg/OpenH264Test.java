package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.estuary.media.frame.AvcConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The LGPL fallback: libopenh264 with the same settings gives the same keyframe control and a usable avcC. */
class OpenH264Test {

    @BeforeAll
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    @Test
    void openh264EncodesWithForcedKeyframesOnly() {
        VideoEncoderSettings s = new VideoEncoderSettings("libopenh264", 320, 240, 30, 400_000, 440_000, 800_000,
                null, null, "high", 1000, 1);
        List<EncodedPacket> packets;
        AvcConfig config;
        try (VideoEncoder encoder = VideoEncoder.open(s)) {
            config = encoder.config();
            packets = VideoRoundTripTest.encode(encoder, 45, 0, Set.of(0, 20));
        }
        Set<Integer> keyframes = new TreeSet<>();
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).keyframe()) {
                keyframes.add(i);
            }
            assertEquals(VideoRoundTripTest.START + i * VideoRoundTripTest.TICKS, packets.get(i).pts());
        }
        System.out.printf("openh264: %s, %d packets, keyframes %s%n", config, packets.size(), keyframes);
        assertEquals(45, packets.size());
        assertEquals(Set.of(0, 20), keyframes);
        assertEquals(320, config.width());

        int[] decoded = {0};
        try (VideoDecoder decoder = VideoDecoder.open(config, 1)) {
            for (EncodedPacket p : packets) {
                decoder.decode(p.toFrame(), (picture, pts, key) -> decoded[0]++);
            }
            decoder.flush((picture, pts, key) -> decoded[0]++);
            assertEquals(0, decoder.errors());
        }
        assertEquals(45, decoded[0]);
    }
}
