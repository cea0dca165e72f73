package io.estuary.protocols.rtmp.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateMessagesTest {

    private static RtmpMessage aggregate(long timestamp, String hex) {
        return new RtmpMessage(4, MessageType.AGGREGATE, 1, timestamp,
                Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", ""))));
    }

    @Test
    void subMessagesTakeTheAggregatesTimeAndTheirOwnOffsets() {
        // video, 3 bytes at 5000 ms (24-bit 0x001388, extension 0), stream 0; back pointer 14;
        // audio, 2 bytes at 5021 ms; back pointer 13
        RtmpMessage agg = aggregate(1000,
                "09 000003 001388 00 000000 170100 0000000e"
                        + "08 000002 00139d 00 000000 af01 0000000d");
        try {
            List<RtmpMessage> subs = AggregateMessages.split(agg);
            assertEquals(2, subs.size());
            assertEquals(MessageType.VIDEO, subs.get(0).typeId());
            assertEquals(1000, subs.get(0).timestamp());
            assertEquals("170100", ByteBufUtil.hexDump(subs.get(0).payload()));
            assertEquals(MessageType.AUDIO, subs.get(1).typeId());
            assertEquals(1021, subs.get(1).timestamp());
            assertEquals("af01", ByteBufUtil.hexDump(subs.get(1).payload()));
            assertEquals(1, subs.get(1).streamId(), "the aggregate's stream, whatever the sub-header says");
        } finally {
            agg.release();
        }
    }

    @Test
    void theExtendedTimestampByteAndAMissingLastBackPointerAreHandled() {
        RtmpMessage agg = aggregate(7, "09 000001 000000 01 000000 17");
        try {
            List<RtmpMessage> subs = AggregateMessages.split(agg);
            assertEquals(1, subs.size());
            assertEquals(7, subs.get(0).timestamp());
        } finally {
            agg.release();
        }
    }

    @Test
    void aSubMessageLongerThanTheAggregateIsAProtocolError() {
        RtmpMessage agg = aggregate(0, "09 0000ff 000000 00 000000 1701");
        try {
            RtmpProtocolException e = assertThrows(RtmpProtocolException.class, () -> AggregateMessages.split(agg));
            assertTrue(e.getMessage().contains("overruns"), e.getMessage());
            assertThrows(RtmpProtocolException.class, () -> AggregateMessages.split(aggregate(0, "09 0000")));
        } finally {
            agg.release();
        }
    }
}
