package io.estuary.transcoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A publisher's garbage access unit is counted, not thrown, and the next good frames still decode. */
class CorruptVideoTest {

    @BeforeAll
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    @Test
    void randomBytesAreCountedAndDecodingContinues() {
        List<EncodedPacket> packets;
        AvcConfig config;
        try (VideoEncoder encoder = VideoEncoder.open(VideoRoundTripTest.settings(320, 240, 400_000))) {
            config = encoder.config();
            packets = VideoRoundTripTest.encode(encoder, 30, 0, Set.of(0, 20));
        }
        byte[] garbage = new byte[2000];
        new Random(1).nextBytes(garbage);
        List<Long> decoded = new ArrayList<>();
        try (VideoDecoder decoder = VideoDecoder.open(config, 1)) {
            PictureSink sink = (picture, pts, key) -> decoded.add(pts);
            for (int i = 0; i < packets.size(); i++) {
                decoder.decode(packets.get(i).toFrame(), sink);
                if (i == 9 || i == 19) {
                    long pts = packets.get(i).pts() + 1500;
                    decoder.decode(new MediaFrame(1, MediaType.VIDEO, pts, 0, false, garbage, 0, 0), sink);
                }
            }
            decoder.flush(sink);
            System.out.printf("corrupt h264: %d errors, %d pictures from %d good packets%n", decoder.errors(),
                    decoded.size(), packets.size());
            assertEquals(2, decoder.errors());
        }
        // Every good packet still gave its picture, the last ones (after the second garbage and an IDR) included.
        assertTrue(decoded.containsAll(packets.stream().map(EncodedPacket::pts).toList()), "decoded " + decoded);
    }
}
