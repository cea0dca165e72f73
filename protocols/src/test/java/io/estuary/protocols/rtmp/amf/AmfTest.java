package io.estuary.protocols.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmfTest {

    private static ByteBuf buf(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return Unpooled.wrappedBuffer(out);
    }

    /** "connect", 1.0, {app: "live"}, null: the start of every RTMP session. */
    private static final int[] CONNECT = {
        0x02, 0x00, 0x07, 'c', 'o', 'n', 'n', 'e', 'c', 't', // string "connect"
        0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0,                  // number 1.0
        0x03,                                                // object
        0x00, 0x03, 'a', 'p', 'p',                           //   key "app"
        0x02, 0x00, 0x04, 'l', 'i', 'v', 'e',                //   string "live"
        0x00, 0x00, 0x09,                                    // object end
        0x05                                                 // null
    };

    @Test
    void amf0KnownBytesRoundTrip() {
        ByteBuf in = buf(CONNECT);
        List<Object> values = Amf0.readAll(in);
        assertEquals(Arrays.asList("connect", 1.0, Map.of("app", "live"), null), values);
        ByteBuf out = Unpooled.buffer();
        Amf0.write(out, values.toArray());
        assertArrayEquals(ByteBufUtil.getBytes(buf(CONNECT)), ByteBufUtil.getBytes(out));
        out.release();
    }

    @Test
    void amf0AllTypes() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("b", true);
        object.put("u", Amf0.UNDEFINED);
        object.put("list", List.of(1.0, "x"));
        object.put("when", Instant.ofEpochMilli(1_700_000_000_000L));
        object.put("long", "y".repeat(70_000)); // long string
        ByteBuf out = Unpooled.buffer();
        Amf0.write(out, object);
        assertEquals(object, Amf0.read(out));
        out.release();
        // ECMA array: marker 8, count (a hint), then properties and the end marker
        assertEquals(Map.of("width", 640.0), Amf0.read(buf(0x08, 0, 0, 0, 1, 0, 5, 'w', 'i', 'd', 't', 'h',
                0x00, 0x40, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0x09)));
    }

    @Test
    void amf3AfterSwitchMarker() {
        // 0x11 switch, then AMF3 object: 0x0A, traits inline dynamic no sealed (0x0B), class "" (0x01),
        // key "a" (0x03 'a') = integer 0x04 5, key "s" = string "hi", key "" (0x01) ends
        ByteBuf in = buf(0x11, 0x0A, 0x0B, 0x01, 0x03, 'a', 0x04, 0x05, 0x03, 's', 0x06, 0x05, 'h', 'i', 0x01);
        assertEquals(Map.of("a", 5.0, "s", "hi"), Amf0.read(in));
        // Negative AMF3 integer: 0x1FFFFFFF encoded in four bytes is -1
        assertEquals(-1.0, Amf0.read(buf(0x11, 0x04, 0xFF, 0xFF, 0xFF, 0xFF)));
        // String reference: "ab" then reference 0 inside a dense array
        assertEquals(List.of("ab", "ab"), Amf0.read(buf(0x11, 0x09, 0x05, 0x01, 0x06, 0x05, 'a', 'b', 0x06, 0x00)));
    }

    @Test
    void stringLongerThanMessageIsRejected() {
        AmfException e = assertThrows(AmfException.class, () -> Amf0.read(buf(0x02, 0x00, 0x10, 'a')));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x0C, 0x7F, 0xFF, 0xFF, 0xFF, 'a')));
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x11, 0x06, 0x21, 'a')));
    }

    @Test
    void badMarkersAndTruncationAreRejected() {
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x07, 0, 0)));
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x0D)));
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x00, 0x3F)));
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x03, 0x00, 0x01, 'a')));
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x0A, 0xFF, 0xFF, 0xFF, 0xFF)));
        assertThrows(AmfException.class, () -> Amf0.read(buf(0x11, 0x0A, 0x00))); // traits reference 0 of none
    }

    @Test
    void deepNestingIsRejected() {
        int depth = 10_000;
        ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < depth; i++) {
            in.writeByte(0x0A).writeInt(1); // strict array of one element, nested
        }
        in.writeByte(0x05);
        AmfException e = assertThrows(AmfException.class, () -> Amf0.read(in));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
        in.release();
    }
}
