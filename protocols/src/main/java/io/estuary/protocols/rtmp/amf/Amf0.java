package io.estuary.protocols.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMF0 (Adobe AMF0 specification) reading and writing. Reading is bounded: strings may not run past the
 * message, containers nest at most {@link #MAX_DEPTH} deep and hold at most {@link #MAX_ELEMENTS} entries, so a
 * hostile command cannot make us allocate or recurse without limit.
 */
public final class Amf0 {
    /** The AMF0 undefined value (distinct from null, which commands use for "no command object"). */
    public static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };
    public static final int MAX_DEPTH = 32;
    public static final int MAX_ELEMENTS = 4096;

    static final int NUMBER = 0x00;
    static final int BOOLEAN = 0x01;
    static final int STRING = 0x02;
    static final int OBJECT = 0x03;
    static final int NULL = 0x05;
    static final int UNDEFINED_MARKER = 0x06;
    static final int ECMA_ARRAY = 0x08;
    static final int OBJECT_END = 0x09;
    static final int STRICT_ARRAY = 0x0A;
    static final int DATE = 0x0B;
    static final int LONG_STRING = 0x0C;
    static final int XML_DOCUMENT = 0x0F;
    static final int TYPED_OBJECT = 0x10;
    static final int AVMPLUS = 0x11;

    private Amf0() {
    }

    /** Reads every value up to the end of {@code in}. */
    public static List<Object> readAll(ByteBuf in) {
        List<Object> values = new ArrayList<>();
        Amf3Reader amf3 = new Amf3Reader();
        while (in.isReadable()) {
            if (values.size() >= MAX_ELEMENTS) {
                throw new AmfException("more than " + MAX_ELEMENTS + " values");
            }
            values.add(read(in, 0, amf3));
        }
        return values;
    }

    /** Reads one value. */
    public static Object read(ByteBuf in) {
        return read(in, 0, new Amf3Reader());
    }

    private static Object read(ByteBuf in, int depth, Amf3Reader amf3) {
        if (depth > MAX_DEPTH) {
            throw new AmfException("AMF0 nesting deeper than " + MAX_DEPTH);
        }
        need(in, 1, "marker");
        int marker = in.readUnsignedByte();
        switch (marker) {
            case NUMBER:
                need(in, 8, "number");
                return in.readDouble();
            case BOOLEAN:
                need(in, 1, "boolean");
                return in.readByte() != 0;
            case STRING:
                need(in, 2, "string length");
                return readUtf8(in, in.readUnsignedShort());
            case LONG_STRING:
            case XML_DOCUMENT:
                need(in, 4, "long string length");
                return readUtf8(in, in.readUnsignedInt());
            case OBJECT:
                return readProperties(in, depth, amf3);
            case TYPED_OBJECT:
                need(in, 2, "class name length");
                readUtf8(in, in.readUnsignedShort());
                return readProperties(in, depth, amf3);
            case ECMA_ARRAY:
                // The count is only a hint (encoders get it wrong); the end marker is what ends the array.
                need(in, 4, "ECMA array count");
                in.skipBytes(4);
                return readProperties(in, depth, amf3);
            case STRICT_ARRAY: {
                need(in, 4, "strict array count");
                long count = in.readUnsignedInt();
                if (count > MAX_ELEMENTS || count > in.readableBytes()) {
                    throw new AmfException("strict array of " + count + " elements exceeds the message");
                }
                List<Object> list = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    list.add(read(in, depth + 1, amf3));
                }
                return list;
            }
            case DATE: {
                need(in, 10, "date");
                double millis = in.readDouble();
                in.skipBytes(2); // time zone: reserved, always 0
                if (Double.isNaN(millis) || Math.abs(millis) > 8.64e15) {
                    throw new AmfException("date out of range: " + millis);
                }
                return Instant.ofEpochMilli((long) millis);
            }
            case NULL:
                return null;
            case UNDEFINED_MARKER:
                return UNDEFINED;
            case AVMPLUS:
                return amf3.read(in, depth + 1);
            default:
                throw new AmfException("unsupported AMF0 marker 0x" + Integer.toHexString(marker));
        }
    }

    private static Map<String, Object> readProperties(ByteBuf in, int depth, Amf3Reader amf3) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            need(in, 2, "property name length");
            String name = readUtf8(in, in.readUnsignedShort());
            if (name.isEmpty()) {
                need(in, 1, "object end");
                if (in.getUnsignedByte(in.readerIndex()) == OBJECT_END) {
                    in.skipBytes(1);
                    return map;
                }
            }
            if (map.size() >= MAX_ELEMENTS) {
                throw new AmfException("object with more than " + MAX_ELEMENTS + " properties");
            }
            map.put(name, read(in, depth + 1, amf3));
        }
    }

    static void need(ByteBuf in, long bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new AmfException("AMF " + what + " needs " + bytes + " bytes, " + in.readableBytes()
                    + " left in the message");
        }
    }

    private static String readUtf8(ByteBuf in, long length) {
        if (length > in.readableBytes()) {
            throw new AmfException("string of " + length + " bytes is longer than the " + in.readableBytes()
                    + " bytes left in the message");
        }
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    /** Writes values in order; supported types are those listed in the package documentation. */
    public static void write(ByteBuf out, Object... values) {
        for (Object v : values) {
            writeValue(out, v);
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(ByteBuf out, Object v) {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v == UNDEFINED) {
            out.writeByte(UNDEFINED_MARKER);
        } else if (v instanceof Number n) {
            out.writeByte(NUMBER).writeDouble(n.doubleValue());
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN).writeByte(b ? 1 : 0);
        } else if (v instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length <= 0xFFFF) {
                out.writeByte(STRING).writeShort(bytes.length);
            } else {
                out.writeByte(LONG_STRING).writeInt(bytes.length);
            }
            out.writeBytes(bytes);
        } else if (v instanceof Instant t) {
            out.writeByte(DATE).writeDouble(t.toEpochMilli()).writeShort(0);
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte(OBJECT);
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length).writeBytes(name);
                writeValue(out, e.getValue());
            }
            out.writeShort(0).writeByte(OBJECT_END);
        } else if (v instanceof List<?> list) {
            out.writeByte(STRICT_ARRAY).writeInt(list.size());
            for (Object o : list) {
                writeValue(out, o);
            }
        } else {
            throw new IllegalArgumentException("no AMF0 form for " + v.getClass().getName());
        }
    }
}
