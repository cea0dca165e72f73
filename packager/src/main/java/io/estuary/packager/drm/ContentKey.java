package io.estuary.packager.drm;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A content key: its 16-byte key ID (the {@code default_KID}), the 16-byte AES key and, for {@code cbcs}, the
 * 16-byte constant IV. {@link #toString()} never shows the key or the IV, so a key logged by mistake leaks nothing;
 * use {@link #key()} only where the key is needed (the encryptor, the license endpoint).
 */
public final class ContentKey {

    private final byte[] kid;
    private final byte[] key;
    private final byte[] iv;

    /** @param iv the constant IV for {@code cbcs}: 16 bytes */
    public ContentKey(byte[] kid, byte[] key, byte[] iv) {
        if (kid.length != 16 || key.length != 16 || iv.length != 16) {
            throw new IllegalArgumentException("key ID, key and IV must be 16 bytes each");
        }
        this.kid = kid.clone();
        this.key = key.clone();
        this.iv = iv.clone();
    }

    public byte[] kid() {
        return kid.clone();
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] iv() {
        return iv.clone();
    }

    /** The key ID as 32 lower-case hex digits. */
    public String kidHex() {
        return HexFormat.of().formatHex(kid);
    }

    /** The key ID as a UUID ({@code cenc:default_KID} in an MPD). */
    public UUID kidUuid() {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (kid[i] & 0xff);
            lo = (lo << 8) | (kid[i + 8] & 0xff);
        }
        return new UUID(hi, lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentKey other && MessageDigest.isEqual(kid, other.kid)
                && MessageDigest.isEqual(key, other.key) && MessageDigest.isEqual(iv, other.iv);
    }

    @Override
    public int hashCode() {
        return kidUuid().hashCode();
    }

    @Override
    public String toString() {
        return "ContentKey[kid=" + kidHex() + ", key=***]";
    }
}
