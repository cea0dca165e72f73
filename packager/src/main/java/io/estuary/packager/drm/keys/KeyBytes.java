package io.estuary.packager.drm.keys;

import io.estuary.packager.drm.ContentKey;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Key IDs, keys and IVs as bytes: parsed from config (hex or UUID form) and drawn at random. A parse failure names
 * the config key and never repeats the value, which may be a secret.
 */
public final class KeyBytes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyBytes() {
    }

    /** 16 bytes from a {@link SecureRandom}: a key ID, a key or an IV. */
    public static byte[] random16() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A key with a random key ID, key and IV. */
    public static ContentKey randomKey() {
        return new ContentKey(random16(), random16(), random16());
    }

    /**
     * 32 hex digits as 16 bytes.
     *
     * @throws IllegalArgumentException "{@code key} must be ...", without the value
     */
    public static byte[] parseHex16(String key, String value) {
        String v = value.trim();
        if (v.length() != 32 || !v.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(key + " must be 32 hex digits (16 bytes), got " + v.length()
                    + " characters" + (v.length() == 32 ? " that are not all hex digits" : ""));
        }
        return HexFormat.of().parseHex(v);
    }

    /** A key ID written as 32 hex digits or as a UUID ({@code 1294b959-9d75-5de2-bbf0-fdca3fa5eab8}). */
    public static byte[] parseKid(String key, String value) {
        String v = value.trim();
        if (v.length() == 36 && v.charAt(8) == '-') {
            try {
                return uuidBytes(UUID.fromString(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " must be 32 hex digits or a UUID");
            }
        }
        if (v.length() != 32) {
            throw new IllegalArgumentException(key + " must be 32 hex digits or a UUID, got " + v.length()
                    + " characters");
        }
        return parseHex16(key, v);
    }

    public static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    public static UUID uuid(byte[] sixteen) {
        ByteBuffer b = ByteBuffer.wrap(sixteen);
        return new UUID(b.getLong(), b.getLong());
    }
}
