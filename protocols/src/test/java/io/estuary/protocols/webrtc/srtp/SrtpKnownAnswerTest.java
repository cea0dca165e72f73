package io.estuary.protocols.webrtc.srtp;

import static io.estuary.protocols.webrtc.srtp.ReferenceSrtp.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import javax.crypto.Cipher;

import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.SrtpKeys;
import io.estuary.protocols.webrtc.dtls.SrtpProfile;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.SrtpCipherCtr;
import org.junit.jupiter.api.Test;

/**
 * Known answers from RFC 3711 Appendix B, libsrtp's published srtp_validate() packets and RFC 7714 §16/§17. The
 * RFC vectors for primitives and session keys check {@link ReferenceSrtp} (and jitsi-srtp's AES-CM where it is
 * exposed); the full-packet vectors from master keys check {@link SrtpSession} end to end.
 */
class SrtpKnownAnswerTest {
    // RFC 3711 B.3 master key and salt; libsrtp's test packets use the same ones.
    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    // RFC 3711 B.2: session key and salt, SSRC, ROC and SEQ zero; keystream blocks 0, 1, 2 and 0xFEFF..0xFF01.
    private static final byte[] B2_KEY = hex("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final byte[] B2_SALT = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
    private static final byte[] B2_FIRST_BLOCKS = hex("""
            E03EAD0935C95E80E166B16DD92B4EB4
            D23513162B02D0F72A43A2FE4A5F97AB
            41E95B3BB0A2E8DD477901E4FCA894C0""");
    private static final byte[] B2_LAST_BLOCKS = hex("""
            EC8CDF7398607CB0F2D21675EA9EA1E4
            362B7C3C6773516318A077D7FC5073AE
            6A2CC3787889374FBEB4C81B17BA6C44""");

    // libsrtp test/srtp_driver.c srtp_validate(): SSRC 0xcafebabe, SEQ 0x1234, ROC 0; SRTCP index 1.
    private static final byte[] LIBSRTP_RTP = hex("800f1234 decafbad cafebabe abababab abababab abababab abababab");
    private static final byte[] LIBSRTP_SRTP = hex("""
            800f1234 decafbad cafebabe
            4e55dc4c e79978d8 8ca4d215 949d2402
            b78d6acc 99ea179b 8dbb""");
    private static final byte[] LIBSRTP_RTCP = hex("81c8000b cafebabe abababab abababab abababab abababab");
    private static final byte[] LIBSRTP_SRTCP = hex("""
            81c8000b cafebabe
            7128035b e487b9bd bef89041 f977a5a8
            80000001
            993e08cd 54d6c123 0798""");

    // RFC 7714 §16.1.1 and §17.1: AEAD_AES_128_GCM with session key and salt.
    private static final byte[] GCM_KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = hex("517569642070726f2071756f");
    private static final byte[] GCM_RTP = hex("""
            8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976
            69736120 696e2070 61727465 73207472 6573""");
    private static final byte[] GCM_SRTP = hex("""
            8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5
            0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439
            0cce""");
    private static final byte[] GCM_RTCP = hex("""
            81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef deadbeef""");
    private static final byte[] GCM_SRTCP = hex("""
            81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d
            c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872
            45d9eade 800005d4""");

    @Test
    void rfc3711B2KeystreamFromTheReferenceCounterBlock() {
        byte[] counter = ReferenceSrtp.cmCounter(B2_SALT, 0, 0);
        assertArrayEquals(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), counter);
        byte[] segment = ReferenceSrtp.keystream(B2_KEY, counter, 0xFF02 * 16);
        assertArrayEquals(B2_FIRST_BLOCKS, Arrays.copyOf(segment, 48));
        assertArrayEquals(B2_LAST_BLOCKS, Arrays.copyOfRange(segment, 0xFEFF * 16, 0xFF02 * 16));
    }

    @Test
    void rfc3711B2KeystreamFromJitsiSrtpAesCounterMode() throws Exception {
        SrtpCipherCtr cipher = new SrtpCipherCtr(Aes.createCipher("AES/CTR/NoPadding"));
        cipher.init(B2_KEY, null);
        cipher.setIV(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), Cipher.ENCRYPT_MODE);
        byte[] zeros = new byte[48];
        cipher.process(zeros, 0, zeros.length);
        assertArrayEquals(B2_FIRST_BLOCKS, zeros);
    }

    @Test
    void rfc3711B3KeyDerivation() {
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"),
                ReferenceSrtp.kdf(MASTER_KEY, MASTER_SALT, ReferenceSrtp.LABEL_RTP_ENCRYPTION, 16));
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"),
                ReferenceSrtp.kdf(MASTER_KEY, MASTER_SALT, ReferenceSrtp.LABEL_RTP_SALT, 14));
        assertArrayEquals(hex("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"""),
                ReferenceSrtp.kdf(MASTER_KEY, MASTER_SALT, ReferenceSrtp.LABEL_RTP_AUTH, 94));
    }

    @Test
    void libsrtpAesCmPacketsFromTheReference() {
        assertArrayEquals(LIBSRTP_SRTP, ReferenceSrtp.protectRtpCm(MASTER_KEY, MASTER_SALT, LIBSRTP_RTP, 0));
        assertArrayEquals(LIBSRTP_SRTCP, ReferenceSrtp.protectRtcpCm(MASTER_KEY, MASTER_SALT, LIBSRTP_RTCP, 1));
    }

    @Test
    void libsrtpAesCmPacketsDecryptInOurSession() {
        // The sender's keys are the master key above: make it the DTLS server, so that we are the client.
        SrtpSession session = SrtpSession.of(keysWithServerMaster(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY,
                MASTER_SALT), DtlsRole.CLIENT);

        byte[] rtp = withSlack(LIBSRTP_SRTP);
        assertEquals(LIBSRTP_RTP.length, session.unprotectRtp(rtp, 3, LIBSRTP_SRTP.length));
        assertArrayEquals(LIBSRTP_RTP, Arrays.copyOfRange(rtp, 3, 3 + LIBSRTP_RTP.length));

        byte[] rtcp = withSlack(LIBSRTP_SRTCP);
        assertEquals(LIBSRTP_RTCP.length, session.unprotectRtcp(rtcp, 3, LIBSRTP_SRTCP.length));
        assertArrayEquals(LIBSRTP_RTCP, Arrays.copyOfRange(rtcp, 3, 3 + LIBSRTP_RTCP.length));
    }

    @Test
    void ourAesCmRtcpMatchesTheReference() {
        // As DTLS client we protect with the client keys; SRTCP indexes start at 0 (RFC 3711 §3.4).
        SrtpSession session = SrtpSession.of(keysWithClientMaster(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY,
                MASTER_SALT), DtlsRole.CLIENT);
        assertArrayEquals(ReferenceSrtp.protectRtcpCm(MASTER_KEY, MASTER_SALT, LIBSRTP_RTCP, 0),
                session.protectRtcp(LIBSRTP_RTCP));
        assertArrayEquals(ReferenceSrtp.protectRtcpCm(MASTER_KEY, MASTER_SALT, LIBSRTP_RTCP, 1),
                session.protectRtcp(LIBSRTP_RTCP));
    }

    @Test
    void rfc7714GcmPacketsFromTheReference() {
        assertArrayEquals(GCM_SRTP, ReferenceSrtp.protectRtpGcmSession(GCM_KEY, GCM_SALT, GCM_RTP, 0));
        assertArrayEquals(GCM_SRTCP, ReferenceSrtp.protectRtcpGcmSession(GCM_KEY, GCM_SALT, GCM_RTCP, 0x5d4));
    }

    @Test
    void gcmPacketsFromMasterKeysDecryptInOurSessionAndOurRtcpMatches() {
        // RFC 7714 gives session keys only: use its key and salt as master key and salt, and let the reference
        // (checked above against the RFC) derive and protect.
        SrtpSession session = SrtpSession.of(keysWithClientMaster(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT),
                DtlsRole.SERVER);

        byte[] srtp = ReferenceSrtp.protectRtpGcm(GCM_KEY, GCM_SALT, GCM_RTP, 0);
        assertEquals(GCM_RTP.length, session.unprotectRtp(srtp, 0, srtp.length));
        assertArrayEquals(GCM_RTP, Arrays.copyOf(srtp, GCM_RTP.length));

        byte[] srtcp = ReferenceSrtp.protectRtcpGcm(GCM_KEY, GCM_SALT, GCM_RTCP, 0x5d4);
        assertEquals(GCM_RTCP.length, session.unprotectRtcp(srtcp, 0, srtcp.length));
        assertArrayEquals(GCM_RTCP, Arrays.copyOf(srtcp, GCM_RTCP.length));

        SrtpSession client = SrtpSession.of(keysWithServerMaster(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT),
                DtlsRole.SERVER);
        assertArrayEquals(ReferenceSrtp.protectRtcpGcm(GCM_KEY, GCM_SALT, GCM_RTCP, 0), client.protectRtcp(GCM_RTCP));
    }

    /** Keys where the DTLS client's master key and salt are the given ones and the server's are unrelated. */
    static SrtpKeys keysWithClientMaster(SrtpProfile profile, byte[] key, byte[] salt) {
        return new SrtpKeys(profile, key, salt, filled(key.length, 0x11), filled(salt.length, 0x22));
    }

    static SrtpKeys keysWithServerMaster(SrtpProfile profile, byte[] key, byte[] salt) {
        return new SrtpKeys(profile, filled(key.length, 0x11), filled(salt.length, 0x22), key, salt);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** The packet at offset 3 of a larger array, to prove offsets are honoured. */
    private static byte[] withSlack(byte[] packet) {
        byte[] buf = new byte[packet.length + 8];
        System.arraycopy(packet, 0, buf, 3, packet.length);
        return buf;
    }
}
