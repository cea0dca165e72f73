package io.estuary.protocols.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.estuary.protocols.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ChunkCodecTest {

    /** The golden chunk stream, shared with the randomized tests. */
    public static byte[] golden() {
        return GOLDEN.clone();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /** Every header type, all three basic header forms, an extended timestamp, set chunk size and abort. */
    static final byte[] GOLDEN = concat(
            // 1: type 0, csid 4 (1-byte form), ts 1000, length 3, type 9 (video), stream 1 (little endian)
            bytes(0x04, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x03, 0x09, 0x01, 0x00, 0x00, 0x00), bytes('a', 'b', 'c'),
            // 2: type 1, csid 4: delta 40, length 2, type 8 (audio); stream id inherited
            bytes(0x44, 0x00, 0x00, 0x28, 0x00, 0x00, 0x02, 0x08), bytes('d', 'e'),
            // 3: type 2, csid 4: delta 20; length and type inherited
            bytes(0x84, 0x00, 0x00, 0x14), bytes('f', 'g'),
            // 4: type 3, csid 4: everything inherited, delta 20 again
            bytes(0xC4), bytes('h', 'i'),
            // 5: type 0, csid 100 (2-byte form: 0, 100-64=36), extended ts 0x01000000, length 1, type 20, stream 0
            bytes(0x00, 0x24, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
                    0x00), bytes(0x05),
            // 6: type 0, csid 400 (3-byte form: 1, (400-64)&0xff=0x50, (400-64)>>8=1), ts 5, length 1, type 18
            bytes(0x01, 0x50, 0x01, 0x00, 0x00, 0x05, 0x00, 0x00, 0x01, 0x12, 0x01, 0x00, 0x00, 0x00), bytes(0x06),
            // 7: Set Chunk Size to 4 on csid 2: type 0, ts 0, length 4, type 1, stream 0, then 0x00000004
            bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0), bytes(0, 0, 0, 4),
            // 8: type 0, csid 5, ts 0xFFFFFF => extended 0x12345678, length 6, type 9, stream 1, first 4 bytes
            bytes(0x05, 0xFF, 0xFF, 0xFF, 0, 0, 6, 0x09, 1, 0, 0, 0, 0x12, 0x34, 0x56, 0x78), bytes('0', '1', '2', '3'),
            //    type 3 continuation repeats the extended timestamp, then the last 2 bytes
            bytes(0xC5, 0x12, 0x34, 0x56, 0x78), bytes('4', '5'),
            // 9: type 0, csid 6, length 8, type 9: first chunk of 4 bytes, then aborted
            bytes(0x06, 0, 0, 0, 0, 0, 8, 0x09, 1, 0, 0, 0), bytes('x', 'x', 'x', 'x'),
            //    Abort (type 2) on csid 2 for chunk stream 6: type 0, length 4, then 0x00000006
            bytes(0x02, 0, 0, 0, 0, 0, 4, 0x02, 0, 0, 0, 0), bytes(0, 0, 0, 6),
            // 10: csid 6 starts over with a complete 2-byte message (type 0, ts 7, type 8)
            bytes(0x06, 0, 0, 7, 0, 0, 2, 0x08, 1, 0, 0, 0), bytes('o', 'k'));

    private record Expected(int csid, int type, int stream, long ts, String payload) {
    }

    private static final List<Expected> EXPECTED = List.of(
            new Expected(4, 9, 1, 1000, "abc"),
            new Expected(4, 8, 1, 1040, "de"),
            new Expected(4, 8, 1, 1060, "fg"),
            new Expected(4, 8, 1, 1080, "hi"),
            new Expected(100, 20, 0, 0x01000000L, "\u0005"),
            new Expected(400, 18, 1, 5, "\u0006"),
            new Expected(5, 9, 1, 0x12345678L, "012345"),
            new Expected(6, 8, 1, 7, "ok"));

    private static void check(EmbeddedChannel ch) {
        for (Expected e : EXPECTED) {
            RtmpMessage m = ch.readInbound();
            try {
                assertEquals(e.csid, m.csid(), "csid");
                assertEquals(e.type, m.typeId(), "type");
                assertEquals(e.stream, m.streamId(), "stream");
                assertEquals(e.ts, m.timestamp(), "timestamp");
                assertEquals(e.payload, m.payload().toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            } finally {
                m.release();
            }
        }
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void decodesGoldenBytesWhole() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(1 << 20, 16));
        ch.writeInbound(Unpooled.wrappedBuffer(GOLDEN));
        check(ch);
    }

    @Test
    void decodesGoldenBytesOneAtATime() {
        ChunkDecoder decoder = new ChunkDecoder(1 << 20, 16);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        for (byte b : GOLDEN) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(4, decoder.chunkSize());
        check(ch);
    }

    private static void assertClosesWith(byte[] input, String reasonPart) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(1000, 4));
        RtmpProtocolException e = assertThrows(RtmpProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(input)));
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
        // Further bytes are swallowed, not parsed.
        ch.writeInbound(Unpooled.wrappedBuffer(GOLDEN));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    private static void assertTrue(boolean b, String m) {
        org.junit.jupiter.api.Assertions.assertTrue(b, m);
    }

    @Test
    void rejectsChunkSizeZeroAndTopBit() {
        assertClosesWith(concat(bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0), bytes(0, 0, 0, 0)), "chunk size 0");
        assertClosesWith(concat(bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0), bytes(0x80, 0, 0, 0)),
                "chunk size 2147483648");
    }

    @Test
    void rejectsOversizedMessageBeforeReadingIt() {
        // length 0x0003E9 = 1001 > limit 1000
        assertClosesWith(bytes(0x04, 0, 0, 0, 0, 0x03, 0xE9, 0x09, 1, 0, 0, 0), "exceeds the limit");
    }

    @Test
    void rejectsTooManyChunkStreamsAndHeaderlessStreams() {
        byte[] open = new byte[0];
        for (int csid = 3; csid < 8; csid++) { // five partial messages, limit four
            open = concat(open, bytes(csid, 0, 0, 0, 0, 0, 200, 0x09, 1, 0, 0, 0), new byte[128]);
        }
        assertClosesWith(open, "open chunk streams");
        assertClosesWith(bytes(0x44, 0, 0, 0, 0, 0, 1, 9), "new chunk stream");
    }

    @Test
    void encodesEveryHeaderTypeAndExtendedTimestamps() {
        ChunkEncoder encoder = new ChunkEncoder();
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        List<RtmpMessage> in = new ArrayList<>();
        in.add(new RtmpMessage(4, 9, 1, 1000, Unpooled.wrappedBuffer(bytes('a', 'b', 'c'))));
        in.add(new RtmpMessage(4, 8, 1, 1040, Unpooled.wrappedBuffer(bytes('d', 'e'))));
        in.add(new RtmpMessage(4, 8, 1, 1060, Unpooled.wrappedBuffer(bytes('f', 'g'))));
        in.add(new RtmpMessage(4, 8, 1, 1080, Unpooled.wrappedBuffer(bytes('h', 'i'))));
        in.add(new RtmpMessage(100, 20, 0, 0x01000000L, Unpooled.wrappedBuffer(bytes(5))));
        in.add(new RtmpMessage(400, 18, 1, 5, Unpooled.wrappedBuffer(bytes(6))));
        in.add(new RtmpMessage(2, 1, 0, 0, Unpooled.wrappedBuffer(bytes(0, 0, 0, 4))));
        in.add(new RtmpMessage(5, 9, 1, 0x12345678L, Unpooled.wrappedBuffer(bytes('0', '1', '2', '3', '4', '5'))));
        for (RtmpMessage m : in) {
            ch.writeOutbound(m);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] expectedPrefix = java.util.Arrays.copyOf(GOLDEN, ByteBufUtil.getBytes(all).length);
        assertArrayEquals(expectedPrefix, ByteBufUtil.getBytes(all), "encoder output equals the golden bytes");
        assertEquals(4, encoder.chunkSize());
        all.release();
        assertFalse(ch.finish());
        // And the golden prefix is exactly messages 1-8.
        assertEquals(GOLDEN.length - (12 + 4 + 12 + 4 + 12 + 2), expectedPrefix.length);
    }

    @Test
    void encoderOutputDecodesBack() {
        EmbeddedChannel enc = new EmbeddedChannel(new ChunkEncoder());
        byte[] big = new byte[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        enc.writeOutbound(new RtmpMessage(70, 9, 1, 0x1FFFFFFL, Unpooled.wrappedBuffer(big)));
        EmbeddedChannel dec = new EmbeddedChannel(new ChunkDecoder(1 << 20, 16));
        ByteBuf b;
        while ((b = enc.readOutbound()) != null) {
            dec.writeInbound(b);
        }
        RtmpMessage m = dec.readInbound();
        assertEquals(0x1FFFFFFL, m.timestamp());
        assertArrayEquals(big, ByteBufUtil.getBytes(m.payload()));
        m.release();
        assertFalse(enc.finish());
        assertFalse(dec.finish());
    }

    @Test
    void partialMessagesAcrossChunkStreamsAreBounded() {
        // Max message 1000 bytes: at most 2000 bytes may sit in unfinished messages. Each chunk stream below
        // opens a 1000-byte video message with one 128-byte chunk; the 16th (2048 bytes held) is refused.
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(1000, 64));
        for (int csid = 3; csid < 18; csid++) {
            ch.writeInbound(Unpooled.wrappedBuffer(openVideoMessage(csid)));
        }
        RtmpProtocolException e = assertThrows(RtmpProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(openVideoMessage(18))));
        assertTrue(e.getMessage().contains("partial messages hold more than 2000 bytes"), e.getMessage());
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    /** Type 0 header on {@code csid}: timestamp 0, length 1000, type 9 (video), stream 1; then a 128-byte chunk. */
    private static byte[] openVideoMessage(int csid) {
        byte[] b = new byte[1 + 11 + 128];
        b[0] = (byte) csid;
        b[5] = 0x03;
        b[6] = (byte) 0xE8; // length 0x0003E8 = 1000 (bytes 4-6)
        b[7] = 9;
        b[8] = 1; // message stream id 1, little-endian
        return b;
    }
}
