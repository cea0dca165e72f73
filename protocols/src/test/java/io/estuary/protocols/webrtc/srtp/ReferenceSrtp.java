package io.estuary.protocols.webrtc.srtp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * An independent, deliberately plain SRTP/SRTCP sender written from RFC 3711 and RFC 7714 on BouncyCastle's
 * block-cipher primitives. The tests check it against the RFCs' own vectors, then check jitsi-srtp (through
 * {@link SrtpSession}) against it where the RFCs give session keys only. Sends only: ROC and SRTCP index are
 * parameters.
 */
final class ReferenceSrtp {
    static final int LABEL_RTP_ENCRYPTION = 0;
    static final int LABEL_RTP_AUTH = 1;
    static final int LABEL_RTP_SALT = 2;
    static final int LABEL_RTCP_ENCRYPTION = 3;
    static final int LABEL_RTCP_AUTH = 4;
    static final int LABEL_RTCP_SALT = 5;

    private ReferenceSrtp() {
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    /**
     * RFC 3711 §4.3.1/§4.3.3 with a key derivation rate of 0: AES-CM keystream under the master key, from the IV
     * (master_salt XOR label at byte 7) * 2^16. A 96-bit (GCM) master salt is first multiplied by 2^16 (RFC 7714
     * errata 4938), that is padded with two zero bytes.
     */
    static byte[] kdf(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        return keystream(masterKey, iv, length);
    }

    /** AES in counter mode from a 16-byte initial counter block: the keystream (what zeros encrypt to). */
    static byte[] keystream(byte[] key, byte[] counter, int length) {
        CTRModeCipher ctr = SICBlockCipher.newInstance(AESEngine.newInstance());
        ctr.init(true, new ParametersWithIV(new KeyParameter(key), counter));
        byte[] out = new byte[length];
        ctr.processBytes(new byte[length], 0, length, out, 0);
        return out;
    }

    /** RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
    static byte[] cmCounter(byte[] sessionSalt, int ssrc, long index) {
        byte[] iv = new byte[16];
        System.arraycopy(sessionSalt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        return iv;
    }

    /** AES_CM_128_HMAC_SHA1_80 SRTP (RFC 3711 §3.1): encrypt the payload, tag = HMAC(packet || ROC)[0..10]. */
    static byte[] protectRtpCm(byte[] masterKey, byte[] masterSalt, byte[] rtp, int roc) {
        byte[] key = kdf(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, 16);
        byte[] salt = kdf(masterKey, masterSalt, LABEL_RTP_SALT, 14);
        byte[] auth = kdf(masterKey, masterSalt, LABEL_RTP_AUTH, 20);
        int header = rtpHeaderLength(rtp);
        int ssrc = ByteBuffer.wrap(rtp).getInt(8);
        long index = (long) roc << 16 | (ByteBuffer.wrap(rtp).getShort(2) & 0xFFFF);
        byte[] out = Arrays.copyOf(rtp, rtp.length + 10);
        xor(out, header, keystream(key, cmCounter(salt, ssrc, index), rtp.length - header));
        byte[] tag = hmacSha1(auth, out, rtp.length, ByteBuffer.allocate(4).putInt(roc).array());
        System.arraycopy(tag, 0, out, rtp.length, 10);
        return out;
    }

    /** AES_CM_128_HMAC_SHA1_80 SRTCP (RFC 3711 §3.4): encrypted after the first 8 bytes, then E||index, tag. */
    static byte[] protectRtcpCm(byte[] masterKey, byte[] masterSalt, byte[] rtcp, int srtcpIndex) {
        byte[] key = kdf(masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, 16);
        byte[] salt = kdf(masterKey, masterSalt, LABEL_RTCP_SALT, 14);
        byte[] auth = kdf(masterKey, masterSalt, LABEL_RTCP_AUTH, 20);
        int ssrc = ByteBuffer.wrap(rtcp).getInt(4);
        byte[] out = Arrays.copyOf(rtcp, rtcp.length + 4 + 10);
        xor(out, 8, keystream(key, cmCounter(salt, ssrc, srtcpIndex), rtcp.length - 8));
        ByteBuffer.wrap(out).putInt(rtcp.length, 0x80000000 | srtcpIndex);
        byte[] tag = hmacSha1(auth, out, rtcp.length + 4, new byte[0]);
        System.arraycopy(tag, 0, out, rtcp.length + 4, 10);
        return out;
    }

    /** AEAD_AES_128_GCM SRTP with session keys (RFC 7714 §8): IV from SSRC, ROC and SEQ; the header is AAD. */
    static byte[] protectRtpGcmSession(byte[] key, byte[] salt, byte[] rtp, int roc) {
        int header = rtpHeaderLength(rtp);
        ByteBuffer iv = ByteBuffer.allocate(12);
        iv.putShort((short) 0).putInt(ByteBuffer.wrap(rtp).getInt(8)).putInt(roc).putShort(ByteBuffer.wrap(rtp).getShort(2));
        byte[] sealed = gcm(key, xor(iv.array(), salt), Arrays.copyOf(rtp, header),
                Arrays.copyOfRange(rtp, header, rtp.length));
        byte[] out = Arrays.copyOf(rtp, header + sealed.length);
        System.arraycopy(sealed, 0, out, header, sealed.length);
        return out;
    }

    /** AEAD_AES_128_GCM SRTCP with session keys (RFC 7714 §9): AAD is the first 8 bytes and E||index. */
    static byte[] protectRtcpGcmSession(byte[] key, byte[] salt, byte[] rtcp, int srtcpIndex) {
        int ssrc = ByteBuffer.wrap(rtcp).getInt(4);
        byte[] trailer = ByteBuffer.allocate(4).putInt(0x80000000 | srtcpIndex).array();
        byte[] iv = ByteBuffer.allocate(12).putShort((short) 0).putInt(ssrc).putShort((short) 0).putInt(srtcpIndex)
                .array();
        byte[] aad = ByteBuffer.allocate(12).put(rtcp, 0, 8).put(trailer).array();
        byte[] sealed = gcm(key, xor(iv, salt), aad, Arrays.copyOfRange(rtcp, 8, rtcp.length));
        return ByteBuffer.allocate(8 + sealed.length + 4).put(rtcp, 0, 8).put(sealed).put(trailer).array();
    }

    static byte[] protectRtpGcm(byte[] masterKey, byte[] masterSalt, byte[] rtp, int roc) {
        return protectRtpGcmSession(kdf(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, 16),
                kdf(masterKey, masterSalt, LABEL_RTP_SALT, 12), rtp, roc);
    }

    static byte[] protectRtcpGcm(byte[] masterKey, byte[] masterSalt, byte[] rtcp, int srtcpIndex) {
        return protectRtcpGcmSession(kdf(masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, 16),
                kdf(masterKey, masterSalt, LABEL_RTCP_SALT, 12), rtcp, srtcpIndex);
    }

    private static int rtpHeaderLength(byte[] rtp) {
        int length = 12 + 4 * (rtp[0] & 0x0F);
        if ((rtp[0] & 0x10) != 0) {
            length += 4 + 4 * (ByteBuffer.wrap(rtp).getShort(length + 2) & 0xFFFF);
        }
        return length;
    }

    private static byte[] gcm(byte[] key, byte[] iv, byte[] aad, byte[] plain) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(true, new AEADParameters(new KeyParameter(key), 128, iv, aad));
        byte[] out = new byte[gcm.getOutputSize(plain.length)];
        int n = gcm.processBytes(plain, 0, plain.length, out, 0);
        try {
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static byte[] hmacSha1(byte[] key, byte[] data, int length, byte[] suffix) {
        HMac mac = new HMac(new SHA1Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, length);
        mac.update(suffix, 0, suffix.length);
        byte[] tag = new byte[20];
        mac.doFinal(tag, 0);
        return tag;
    }

    private static void xor(byte[] target, int at, byte[] stream) {
        for (int i = 0; i < stream.length; i++) {
            target[at + i] ^= stream[i];
        }
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= b[i];
        }
        return out;
    }
}
