package io.estuary.protocols.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.estuary.protocols.rtmp.amf.Amf0;
import io.estuary.protocols.rtmp.amf.AmfException;
import io.estuary.protocols.rtmp.chunk.ChunkDecoder;
import io.estuary.protocols.rtmp.message.AggregateMessages;
import io.estuary.protocols.rtmp.message.MessageType;
import io.estuary.protocols.rtmp.message.RtmpMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Jazzer fuzz targets for the wire parsers. Without JAZZER_FUZZ they replay their seed inputs (and any found
 * crashes under src/test/resources) as ordinary tests. The only acceptable failures are our own protocol errors.
 */
class FuzzTargetsTest {

    @FuzzTest(maxDuration = "30s")
    void chunkDecoder(byte[] input) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(64 * 1024, 8));
        try {
            // Split in two so that resumption across reads is exercised too.
            int half = input.length / 2;
            ch.writeInbound(Unpooled.wrappedBuffer(input, 0, half));
            ch.writeInbound(Unpooled.wrappedBuffer(input, half, input.length - half));
        } catch (RtmpProtocolException expected) {
            // bad input is allowed to be refused
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void amf0Decoder(byte[] input) {
        try {
            Amf0.readAll(Unpooled.wrappedBuffer(input));
        } catch (AmfException expected) {
            // bad input is allowed to be refused
        }
    }

    @FuzzTest(maxDuration = "30s")
    void aggregateMessages(byte[] input) {
        RtmpMessage aggregate = new RtmpMessage(4, MessageType.AGGREGATE, 1, 1000, Unpooled.wrappedBuffer(input));
        try {
            for (RtmpMessage sub : AggregateMessages.split(aggregate)) {
                sub.payload().getByte(sub.payload().readerIndex() + Math.max(0, sub.payload().readableBytes() - 1));
            }
        } catch (RtmpProtocolException expected) {
            // bad input is allowed to be refused
        } catch (IndexOutOfBoundsException emptyPayload) {
            // getByte on an empty sub-message: not the splitter's fault
        } finally {
            aggregate.release();
        }
    }
}
