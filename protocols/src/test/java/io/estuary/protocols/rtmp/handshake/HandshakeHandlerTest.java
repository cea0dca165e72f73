package io.estuary.protocols.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HandshakeHandlerTest {
    private static final int N = 1536;

    private static byte[] hmac(byte[] key, byte[] data, int from, int to) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(data, from, to - from);
        return mac.doFinal();
    }

    /** Digest over the packet minus the 32 bytes at offset, computed independently of the production code. */
    private static byte[] digest(byte[] packet, int offset, byte[] key) throws Exception {
        byte[] joined = new byte[N - 32];
        System.arraycopy(packet, 0, joined, 0, offset);
        System.arraycopy(packet, offset + 32, joined, offset, N - offset - 32);
        return hmac(key, joined, 0, joined.length);
    }

    private static int offset(byte[] p, int base) {
        return base + 4 + ((p[base] & 0xff) + (p[base + 1] & 0xff) + (p[base + 2] & 0xff) + (p[base + 3] & 0xff))
                % 728;
    }

    private static byte[] readAll(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = ByteBufUtil.getBytes(all);
        all.release();
        return out;
    }

    @Test
    void plainHandshakeEchoesC1AndForwardsTheRest() {
        AtomicBoolean done = new AtomicBoolean();
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeHandler(Duration.ofSeconds(5), () -> done.set(true)));
        byte[] c1 = new byte[N];
        new Random(1).nextBytes(c1);
        Arrays.fill(c1, 4, 8, (byte) 0); // plain: zero field
        ByteBuf in = Unpooled.buffer();
        in.writeByte(3).writeBytes(c1);
        ch.writeInbound(in);
        byte[] reply = readAll(ch);
        assertEquals(1 + 2 * N, reply.length);
        assertEquals(3, reply[0]);
        assertArrayEquals(c1, Arrays.copyOfRange(reply, 1 + N, 1 + 2 * N), "S2 echoes C1");
        assertFalse(done.get());
        // C2 plus the first bytes of the chunk stream, fed one byte at a time
        byte[] c2AndMore = new byte[N + 3];
        c2AndMore[N] = 7;
        c2AndMore[N + 1] = 8;
        c2AndMore[N + 2] = 9;
        for (byte b : c2AndMore) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertTrue(done.get());
        assertNull(ch.pipeline().get(HandshakeHandler.class), "removes itself");
        // Fed byte by byte, each byte after C2 travels on as its own buffer.
        ByteBuf rest = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            rest.writeBytes(b);
            b.release();
        }
        assertArrayEquals(new byte[] {7, 8, 9}, ByteBufUtil.getBytes(rest));
        rest.release();
        assertFalse(ch.finish());
    }

    @Test
    void digestHandshakeIsAnsweredWithValidDigests() throws Exception {
        for (int schema = 0; schema <= 1; schema++) {
            HandshakeHandler handler = new HandshakeHandler(Duration.ofSeconds(5), () -> { });
            EmbeddedChannel ch = new EmbeddedChannel(handler);
            byte[] c1 = new byte[N];
            new Random(2 + schema).nextBytes(c1);
            c1[4] = 9; // Flash Player 9.0.124.2, as librtmp and ffmpeg claim
            c1[5] = 0;
            c1[6] = 124;
            c1[7] = 2;
            int at = offset(c1, schema == 0 ? 772 : 8);
            byte[] d = digest(c1, at, Arrays.copyOf(HandshakeDigest.FP_KEY, 30));
            System.arraycopy(d, 0, c1, at, 32);
            ByteBuf in = Unpooled.buffer();
            in.writeByte(3).writeBytes(c1);
            ch.writeInbound(in);
            byte[] reply = readAll(ch);
            assertTrue(handler.isDigest(), "schema " + schema + " detected");
            byte[] s1 = Arrays.copyOfRange(reply, 1, 1 + N);
            byte[] s2 = Arrays.copyOfRange(reply, 1 + N, 1 + 2 * N);
            // S1: FMS digest (first 36 key bytes) at the schema 0 position
            int s1At = offset(s1, 772);
            assertArrayEquals(digest(s1, s1At, Arrays.copyOf(HandshakeDigest.FMS_KEY, 36)),
                    Arrays.copyOfRange(s1, s1At, s1At + 32), "S1 digest");
            // S2: last 32 bytes = HMAC(HMAC(full FMS key, C1 digest), first 1504 bytes)
            byte[] key = hmac(HandshakeDigest.FMS_KEY, c1, at, at + 32);
            assertArrayEquals(hmac(key, s2, 0, N - 32), Arrays.copyOfRange(s2, N - 32, N), "S2 signature");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void wrongVersionIsRefusedAndKnownKeyBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeHandler(Duration.ofSeconds(5), () -> { }));
        RtmpProtocolException e = assertThrows(RtmpProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {6, 1, 2})));
        assertTrue(e.getMessage().contains("version 6"));
        assertFalse(ch.finish());
        assertEquals(68, HandshakeDigest.FMS_KEY.length);
        assertEquals(62, HandshakeDigest.FP_KEY.length);
    }

    @Test
    void handshakeTimesOut() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeHandler(Duration.ofMillis(10), () -> { }));
        Thread.sleep(30);
        ch.runPendingTasks();
        RtmpProtocolException e = assertThrows(RtmpProtocolException.class, ch::checkException);
        assertTrue(e.getMessage().contains("handshake not completed"));
        assertFalse(ch.finish());
    }
}
