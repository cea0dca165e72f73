package io.estuary.packager.drm;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/** Encrypts the protected ranges of one sample after another, in place, under one scheme. */
interface RangeCipher {

    /** An AES cipher of the JDK, which every JDK has; its absence is a broken runtime, not a condition. */
    static Cipher aes(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + transformation, e);
        }
    }

    /** Starts a sample; {@code iv} is its per-sample IV, or {@code null} under a constant IV. */
    void startSample(byte[] iv);

    /** Encrypts one protected range (a subsample's protected bytes, or a whole sample) in place. */
    void protect(byte[] buf, int offset, int length);
}
