package io.estuary.packager.drm;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code cbcs} (ISO/IEC 23001-7): AES-128 CBC with the track's constant IV, restarted at the start of
 * every protected range (each subsample, or the whole sample), so that a range decrypts without the ones before
 * it. Within a range the pattern encrypts {@code crypt} blocks and skips {@code skip}, the encrypted blocks forming
 * one chain; a pattern of 0:0 encrypts every whole block. A partial block at the end stays clear either way.
 */
final class CbcsRangeCipher implements RangeCipher {

    private static final int BLOCK = 16;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final IvParameterSpec constantIv;
    private final int cryptBytes;
    private final int skipBytes;

    CbcsRangeCipher(byte[] key, byte[] constantIv, int cryptByteBlock, int skipByteBlock) {
        this.key = new SecretKeySpec(key, "AES");
        this.constantIv = new IvParameterSpec(constantIv);
        this.cryptBytes = cryptByteBlock * BLOCK;
        this.skipBytes = skipByteBlock * BLOCK;
        this.cipher = RangeCipher.aes("AES/CBC/NoPadding");
    }

    @Override
    public void startSample(byte[] iv) {
        // the constant IV is set per range, in protect
    }

    @Override
    public void protect(byte[] buf, int offset, int length) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, constantIv);
            int end = offset + length;
            if (cryptBytes == 0) {
                int whole = length - length % BLOCK;
                if (whole > 0) {
                    cipher.update(buf, offset, whole, buf, offset);
                }
                return;
            }
            int pos = offset;
            while (end - pos >= cryptBytes) {
                cipher.update(buf, pos, cryptBytes, buf, pos);
                pos += cryptBytes + Math.min(skipBytes, end - pos - cryptBytes);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC failed in place", e);
        }
    }
}
