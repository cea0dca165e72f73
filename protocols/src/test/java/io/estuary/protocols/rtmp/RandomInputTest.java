package io.estuary.protocols.rtmp;

import io.estuary.protocols.rtmp.amf.Amf0;
import io.estuary.protocols.rtmp.amf.AmfException;
import io.estuary.protocols.rtmp.chunk.ChunkDecoder;
import io.estuary.protocols.rtmp.chunk.ChunkCodecTest;
import io.estuary.protocols.rtmp.flv.FlvIngest;
import io.estuary.protocols.rtmp.flv.FrameSink;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded, seeded random mutations of valid inputs, run in every build (the Jazzer targets only replay seeds
 * unless JAZZER_FUZZ is set): the parsers may refuse input only with their own exceptions.
 */
class RandomInputTest {

    @Test
    void mutatedChunkStreamsOnlyFailWithProtocolErrors() {
        Random random = new Random(42);
        byte[] golden = goldenChunks();
        for (int round = 0; round < 3000; round++) {
            byte[] input = golden.clone();
            for (int i = random.nextInt(6); i >= 0; i--) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(64 * 1024, 8));
            try {
                int pos = 0;
                while (pos < input.length) {
                    int n = Math.min(input.length - pos, 1 + random.nextInt(40));
                    ch.writeInbound(Unpooled.wrappedBuffer(input, pos, n));
                    pos += n;
                }
            } catch (RtmpProtocolException expected) {
                // refused: fine
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void randomAmfAndFlvOnlyFailWithTheirOwnErrors() {
        Random random = new Random(7);
        FrameSink sink = new FrameSink() {
            @Override
            public void updateTracks(List<TrackInfo> tracks) {
            }

            @Override
            public void publish(MediaFrame frame) {
            }
        };
        for (int round = 0; round < 20_000; round++) {
            byte[] input = new byte[random.nextInt(64)];
            random.nextBytes(input);
            try {
                Amf0.readAll(Unpooled.wrappedBuffer(input));
            } catch (AmfException expected) {
                // refused: fine
            }
            FlvIngest ingest = new FlvIngest(sink, "fuzz");
            ByteBuf tag = Unpooled.wrappedBuffer(input);
            try {
                if (round % 2 == 0) {
                    ingest.onVideo(round, tag);
                } else {
                    ingest.onAudio(round, tag);
                }
            } catch (RtmpProtocolException expected) {
                // refused: fine
            } finally {
                tag.release();
            }
        }
    }

    private static byte[] goldenChunks() {
        return ChunkCodecTest.golden();
    }
}
