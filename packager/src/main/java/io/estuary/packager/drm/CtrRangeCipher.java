package io.estuary.packager.drm;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code cenc} (ISO/IEC 23001-7): AES-128 CTR whose first counter block is the 8-byte sample IV followed by
 * eight zero bytes. One keystream runs across all protected ranges of a sample, clear bytes not advancing it:
 * the JDK's CTR cipher keeps its position within a block between {@code update} calls, which is exactly that.
 */
final class CtrRangeCipher implements RangeCipher {

    private final Cipher cipher;
    private final SecretKeySpec key;

    CtrRangeCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.cipher = RangeCipher.aes("AES/CTR/NoPadding");
    }

    @Override
    public void startSample(byte[] iv) {
        byte[] counter = new byte[16];
        System.arraycopy(iv, 0, counter, 0, iv.length);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR refused a 16-byte key", e);
        }
    }

    @Override
    public void protect(byte[] buf, int offset, int length) {
        try {
            cipher.update(buf, offset, length, buf, offset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed in place", e);
        }
    }
}
