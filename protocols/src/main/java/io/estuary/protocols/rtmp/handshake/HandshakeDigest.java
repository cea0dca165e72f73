package io.estuary.protocols.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digest handshake's arithmetic. A 1536-byte C1/S1 holds, after 8 bytes of time and version, two 764-byte
 * blocks (key and digest) in either order ("schema 0": key first, "schema 1": digest first). The digest block
 * starts with four bytes whose sum, modulo 728, places a 32-byte HMAC-SHA256 of the rest of the packet. The keys
 * are the well-known public strings of Flash Player and Flash Media Server followed by 32 fixed bytes; they
 * prove nothing secret, but older clients check them.
 */
public final class HandshakeDigest {
    public static final int PACKET_SIZE = 1536;
    public static final int DIGEST_LENGTH = 32;
    private static final byte[] KEY_TAIL = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE
    };
    /** "Genuine Adobe Flash Player 001" + tail: the client's key; its first 30 bytes sign C1. */
    public static final byte[] FP_KEY = concat("Genuine Adobe Flash Player 001", KEY_TAIL);
    /** "Genuine Adobe Flash Media Server 001" + tail: the first 36 bytes sign S1, all 68 derive the S2 key. */
    public static final byte[] FMS_KEY = concat("Genuine Adobe Flash Media Server 001", KEY_TAIL);
    public static final int FP_KEY_SHORT = 30;
    public static final int FMS_KEY_SHORT = 36;

    private HandshakeDigest() {
    }

    /** Where the digest sits in a packet under the given schema (0: digest block at 772, 1: at 8). */
    public static int digestOffset(byte[] packet, int schema) {
        int block = schema == 0 ? 772 : 8;
        int sum = (packet[block] & 0xff) + (packet[block + 1] & 0xff) + (packet[block + 2] & 0xff)
                + (packet[block + 3] & 0xff);
        return block + 4 + sum % 728;
    }

    /** HMAC-SHA256 over the packet without the 32 digest bytes at {@code offset}. */
    public static byte[] packetDigest(byte[] packet, int offset, byte[] key, int keyLength) {
        Mac mac = mac(Arrays.copyOf(key, keyLength));
        mac.update(packet, 0, offset);
        mac.update(packet, offset + DIGEST_LENGTH, packet.length - offset - DIGEST_LENGTH);
        return mac.doFinal();
    }

    /**
     * Finds a valid client digest in C1, trying schema 0 then 1; returns its offset or -1 for a plain C1.
     */
    public static int findClientDigest(byte[] c1) {
        for (int schema = 0; schema <= 1; schema++) {
            int offset = digestOffset(c1, schema);
            byte[] expected = packetDigest(c1, offset, FP_KEY, FP_KEY_SHORT);
            if (Arrays.equals(expected, 0, DIGEST_LENGTH, c1, offset, offset + DIGEST_LENGTH)) {
                return offset;
            }
        }
        return -1;
    }

    /** Signs S1 in place (schema 0, the schema clients try first) with the short FMS key. */
    public static void signServerPacket(byte[] s1) {
        int offset = digestOffset(s1, 0);
        byte[] digest = packetDigest(s1, offset, FMS_KEY, FMS_KEY_SHORT);
        System.arraycopy(digest, 0, s1, offset, DIGEST_LENGTH);
    }

    /**
     * Signs S2 in place: its last 32 bytes are an HMAC of the first 1504, keyed by HMAC(full FMS key, C1 digest).
     */
    public static void signResponse(byte[] s2, byte[] clientDigest) {
        byte[] key = mac(FMS_KEY).doFinal(clientDigest);
        Mac mac = mac(key);
        mac.update(s2, 0, PACKET_SIZE - DIGEST_LENGTH);
        System.arraycopy(mac.doFinal(), 0, s2, PACKET_SIZE - DIGEST_LENGTH, DIGEST_LENGTH);
    }

    static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JRE", e);
        }
    }

    private static byte[] concat(String text, byte[] tail) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
