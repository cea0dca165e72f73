package io.estuary.packager.drm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The data of a Widevine {@code pssh}: a WidevinePsshData protocol buffer with the key IDs (field 2, bytes, one per
 * key) and the protection scheme (field 9, uint32: the scheme's fourcc read as a big-endian integer, {@code cenc} =
 * 0x63656e63). No provider or content ID: a license server that needs them gets them from its own request. The
 * few bytes are encoded by hand rather than pulling in a protobuf library.
 */
public final class WidevinePsshData {

    private static final int KEY_ID_FIELD = 2;
    private static final int PROTECTION_SCHEME_FIELD = 9;
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;

    private WidevinePsshData() {
    }

    public static byte[] of(List<byte[]> kids, EncryptionScheme scheme) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] kid : kids) {
            varint(out, (KEY_ID_FIELD << 3) | WIRE_LENGTH_DELIMITED);
            varint(out, kid.length);
            out.writeBytes(kid);
        }
        varint(out, (PROTECTION_SCHEME_FIELD << 3) | WIRE_VARINT);
        varint(out, fourccValue(scheme.fourcc()));
        return out.toByteArray();
    }

    private static long fourccValue(String fourcc) {
        long v = 0;
        for (byte b : fourcc.getBytes(StandardCharsets.US_ASCII)) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    /** Protocol buffer base-128 varint: 7 bits per byte, least significant group first, top bit = more follow. */
    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
