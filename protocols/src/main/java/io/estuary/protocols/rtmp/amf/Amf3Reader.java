package io.estuary.protocols.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AMF3 types met after an AMF0 "switch to AMF3" marker in RTMP commands: undefined, null, booleans, integer,
 * double, string, date, array, anonymous or typed object with sealed and dynamic members, byte array (and XML as a
 * string). Reference tables are kept per message, as the AMF3 specification scopes them. Externalizable objects
 * cannot be parsed without knowing the class, so they are refused.
 */
final class Amf3Reader {
    private final List<String> strings = new ArrayList<>();
    private final List<Object> objects = new ArrayList<>();
    private final List<Traits> traits = new ArrayList<>();

    Object read(ByteBuf in, int depth) {
        if (depth > Amf0.MAX_DEPTH) {
            throw new AmfException("AMF3 nesting deeper than " + Amf0.MAX_DEPTH);
        }
        Amf0.need(in, 1, "AMF3 marker");
        int marker = in.readUnsignedByte();
        switch (marker) {
            case 0x00:
                return Amf0.UNDEFINED;
            case 0x01:
                return null;
            case 0x02:
                return Boolean.FALSE;
            case 0x03:
                return Boolean.TRUE;
            case 0x04: {
                int u29 = readU29(in);
                // Sign-extend the 29-bit value.
                return (double) ((u29 << 3) >> 3);
            }
            case 0x05:
                Amf0.need(in, 8, "AMF3 double");
                return in.readDouble();
            case 0x06:
                return readString(in);
            case 0x07:
            case 0x0B: {
                int ref = readU29(in);
                if ((ref & 1) == 0) {
                    return objectRef(ref >>> 1);
                }
                String xml = readUtf8(in, ref >>> 1);
                objects.add(xml);
                return xml;
            }
            case 0x08: {
                int ref = readU29(in);
                if ((ref & 1) == 0) {
                    return objectRef(ref >>> 1);
                }
                Amf0.need(in, 8, "AMF3 date");
                Instant date = Instant.ofEpochMilli((long) in.readDouble());
                objects.add(date);
                return date;
            }
            case 0x09:
                return readArray(in, depth);
            case 0x0A:
                return readObject(in, depth);
            case 0x0C: {
                int ref = readU29(in);
                if ((ref & 1) == 0) {
                    return objectRef(ref >>> 1);
                }
                int length = ref >>> 1;
                Amf0.need(in, length, "AMF3 byte array");
                byte[] bytes = new byte[length];
                in.readBytes(bytes);
                objects.add(bytes);
                return bytes;
            }
            default:
                throw new AmfException("unsupported AMF3 marker 0x" + Integer.toHexString(marker));
        }
    }

    private Object readArray(ByteBuf in, int depth) {
        int ref = readU29(in);
        if ((ref & 1) == 0) {
            return objectRef(ref >>> 1);
        }
        int denseCount = ref >>> 1;
        Map<String, Object> associative = new LinkedHashMap<>();
        objects.add(associative);
        int slot = objects.size() - 1;
        while (true) {
            String key = readString(in);
            if (key.isEmpty()) {
                break;
            }
            bound(associative.size());
            associative.put(key, read(in, depth + 1));
        }
        if (denseCount > Amf0.MAX_ELEMENTS || denseCount > in.readableBytes()) {
            throw new AmfException("AMF3 array of " + denseCount + " elements exceeds the message");
        }
        List<Object> dense = new ArrayList<>(denseCount);
        for (int i = 0; i < denseCount; i++) {
            dense.add(read(in, depth + 1));
        }
        if (associative.isEmpty()) {
            objects.set(slot, dense);
            return dense;
        }
        for (int i = 0; i < dense.size(); i++) {
            associative.put(Integer.toString(i), dense.get(i));
        }
        return associative;
    }

    private Object readObject(ByteBuf in, int depth) {
        int ref = readU29(in);
        if ((ref & 1) == 0) {
            return objectRef(ref >>> 1);
        }
        Traits t;
        if ((ref & 2) == 0) {
            int index = ref >>> 2;
            if (index >= traits.size()) {
                throw new AmfException("AMF3 traits reference " + index + " out of range");
            }
            t = traits.get(index);
        } else {
            if ((ref & 4) != 0) {
                throw new AmfException("externalizable AMF3 objects are not supported");
            }
            boolean dynamic = (ref & 8) != 0;
            int sealedCount = ref >>> 4;
            if (sealedCount > Amf0.MAX_ELEMENTS || sealedCount > in.readableBytes()) {
                throw new AmfException("AMF3 object with " + sealedCount + " sealed members exceeds the message");
            }
            readString(in); // class name: we keep no typed classes
            List<String> names = new ArrayList<>(sealedCount);
            for (int i = 0; i < sealedCount; i++) {
                names.add(readString(in));
            }
            t = new Traits(dynamic, names);
            traits.add(t);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        objects.add(map);
        for (String name : t.sealed) {
            map.put(name, read(in, depth + 1));
        }
        if (t.dynamic) {
            while (true) {
                String key = readString(in);
                if (key.isEmpty()) {
                    break;
                }
                bound(map.size());
                map.put(key, read(in, depth + 1));
            }
        }
        return map;
    }

    private String readString(ByteBuf in) {
        int ref = readU29(in);
        if ((ref & 1) == 0) {
            int index = ref >>> 1;
            if (index >= strings.size()) {
                throw new AmfException("AMF3 string reference " + index + " out of range");
            }
            return strings.get(index);
        }
        String s = readUtf8(in, ref >>> 1);
        if (!s.isEmpty()) {
            bound(strings.size());
            strings.add(s);
        }
        return s;
    }

    private Object objectRef(int index) {
        if (index >= objects.size()) {
            throw new AmfException("AMF3 object reference " + index + " out of range");
        }
        return objects.get(index);
    }

    private static void bound(int size) {
        if (size >= Amf0.MAX_ELEMENTS) {
            throw new AmfException("more than " + Amf0.MAX_ELEMENTS + " AMF3 elements");
        }
    }

    private static String readUtf8(ByteBuf in, int length) {
        if (length > in.readableBytes()) {
            throw new AmfException("string of " + length + " bytes is longer than the " + in.readableBytes()
                    + " bytes left in the message");
        }
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    /** AMF3 variable-length 29-bit unsigned integer: 7 bits in each of up to three bytes, then 8 bits. */
    static int readU29(ByteBuf in) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            Amf0.need(in, 1, "AMF3 integer");
            int b = in.readUnsignedByte();
            if (i == 3) {
                return (value << 8) | b;
            }
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return value;
    }

    private record Traits(boolean dynamic, List<String> sealed) {
    }
}
