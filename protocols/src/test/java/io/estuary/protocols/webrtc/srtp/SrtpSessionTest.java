package io.estuary.protocols.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.SrtpKeys;
import io.estuary.protocols.webrtc.dtls.SrtpProfile;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Round trips between our session and a peer that holds the other DTLS role, for both profiles and both roles:
 * the peer protects RTP with its own role's keys (a jitsi-srtp sender context), we must decrypt it; we protect
 * RTCP, the peer's session must decrypt it. Then tampering, replays and SSRC bounds.
 */
class SrtpSessionTest {
    private static final int SSRC = 0x1234ABCD;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void weDecryptWhatTheClientSendsWhenWeAreServerAndViceVersa(SrtpProfile profile) throws Exception {
        SrtpKeys keys = keys(profile);
        for (DtlsRole role : DtlsRole.values()) {
            DtlsRole peerRole = role == DtlsRole.SERVER ? DtlsRole.CLIENT : DtlsRole.SERVER;
            SrtpSession ours = SrtpSession.of(keys, role);
            SrtpCryptoContext peerSender = peerSender(keys, peerRole);

            for (int seq = 65530; seq < 65540; seq++) { // across a sequence number wrap: the ROC must follow
                byte[] rtp = rtp(seq & 0xFFFF, 40 + seq % 7);
                byte[] srtp = protect(peerSender, rtp);
                assertEquals(rtp.length, ours.unprotectRtp(srtp, 0, srtp.length), role + " seq " + seq);
                assertArrayEquals(rtp, Arrays.copyOf(srtp, rtp.length));
            }

            byte[] rtcp = receiverReport();
            byte[] srtcp = ours.protectRtcp(rtcp);
            SrtpSession peer = SrtpSession.of(keys, peerRole);
            assertEquals(rtcp.length, peer.unprotectRtcp(srtcp, 0, srtcp.length));
            assertArrayEquals(rtcp, Arrays.copyOf(srtcp, rtcp.length));

            // Keys used in the wrong direction must not authenticate: the peer cannot read its own sends.
            byte[] ownRtcp = ours.protectRtcp(rtcp);
            assertEquals(-1, ours.unprotectRtcp(ownRtcp, 0, ownRtcp.length));
            assertEquals(1, ours.authFailures());
        }
    }

    /**
     * A publisher's RTP (the WHIP load tools): what we protect as DTLS client, the server's session decrypts, across
     * a sequence number wrap (the sender's rollover counter must follow); the protected bytes sent again (a
     * retransmission after a NACK) are accepted once, when the receiver had not had them, then refused as a replay.
     */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theServerDecryptsTheRtpAClientProtects(SrtpProfile profile) {
        SrtpKeys keys = keys(profile);
        SrtpSession publisher = SrtpSession.of(keys, DtlsRole.CLIENT);
        SrtpSession server = SrtpSession.of(keys, DtlsRole.SERVER);
        int tag = profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
        byte[] lost = null;
        for (int seq = 65530; seq < 65540; seq++) {
            byte[] rtp = rtp(seq & 0xFFFF, 40 + seq % 7);
            byte[] srtp = publisher.protectRtp(rtp);
            assertEquals(rtp.length + tag, srtp.length);
            assertFalse(Arrays.equals(rtp, Arrays.copyOf(srtp, rtp.length)), "the payload is encrypted");
            assertArrayEquals(Arrays.copyOf(rtp, 12), Arrays.copyOf(srtp, 12), "the header is not");
            if (seq == 65535) {
                lost = srtp; // lost on the way: sent again below, after the wrap
                continue;
            }
            assertEquals(rtp.length, server.unprotectRtp(srtp, 0, srtp.length), "seq " + seq);
            assertArrayEquals(rtp, Arrays.copyOf(srtp, rtp.length));
        }
        assertEquals(lost.length - tag, server.unprotectRtp(lost.clone(), 0, lost.length), "the retransmission");
        assertEquals(-1, server.unprotectRtp(lost.clone(), 0, lost.length), "a second copy is a replay");
        assertThrows(IllegalStateException.class, () -> publisher.protectRtp(rtp(65535, 40)),
                "jitsi-srtp never protects an index twice");
        assertEquals(1, server.replays());
        assertEquals(0, server.authFailures());
        assertThrows(IllegalArgumentException.class, () -> publisher.protectRtp(new byte[11]));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsFailAuthentication(SrtpProfile profile) throws Exception {
        SrtpKeys keys = keys(profile);
        SrtpSession ours = SrtpSession.of(keys, DtlsRole.SERVER);
        SrtpCryptoContext peerSender = peerSender(keys, DtlsRole.CLIENT);

        byte[] payloadFlipped = protect(peerSender, rtp(1, 50));
        payloadFlipped[20] ^= 0x01;
        assertEquals(-1, ours.unprotectRtp(payloadFlipped, 0, payloadFlipped.length));
        byte[] headerFlipped = protect(peerSender, rtp(2, 50));
        headerFlipped[5] ^= 0x01; // the timestamp: authenticated, not encrypted
        assertEquals(-1, ours.unprotectRtp(headerFlipped, 0, headerFlipped.length));
        byte[] rtcp = SrtpSession.of(keys, DtlsRole.CLIENT).protectRtcp(receiverReport());
        rtcp[rtcp.length - 1] ^= 0x01;
        assertEquals(-1, ours.unprotectRtcp(rtcp, 0, rtcp.length));
        assertEquals(3, ours.authFailures());
        assertEquals(0, ours.replays());

        // The session still accepts the stream afterwards.
        byte[] good = protect(peerSender, rtp(3, 50));
        assertEquals(62, ours.unprotectRtp(good, 0, good.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysAreRefusedButReorderingWithinTheWindowIsNot(SrtpProfile profile) throws Exception {
        SrtpKeys keys = keys(profile);
        SrtpSession ours = SrtpSession.of(keys, DtlsRole.SERVER);
        SrtpCryptoContext peerSender = peerSender(keys, DtlsRole.CLIENT);
        byte[] first = protect(peerSender, rtp(100, 30));
        byte[] second = protect(peerSender, rtp(101, 30));
        byte[] third = protect(peerSender, rtp(102, 30));

        assertEquals(42, ours.unprotectRtp(first.clone(), 0, first.length));
        assertEquals(42, ours.unprotectRtp(third.clone(), 0, third.length));
        assertEquals(42, ours.unprotectRtp(second.clone(), 0, second.length)); // late, not replayed
        assertEquals(-1, ours.unprotectRtp(second.clone(), 0, second.length));
        assertEquals(-1, ours.unprotectRtp(first.clone(), 0, first.length));
        assertEquals(2, ours.replays());

        SrtpSession peer = SrtpSession.of(keys, DtlsRole.CLIENT);
        byte[] rtcp = peer.protectRtcp(receiverReport());
        assertEquals(receiverReport().length, ours.unprotectRtcp(rtcp.clone(), 0, rtcp.length));
        assertEquals(-1, ours.unprotectRtcp(rtcp.clone(), 0, rtcp.length));
        assertEquals(3, ours.replays());
        assertEquals(0, ours.authFailures());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void forgedPacketsFromNewSsrcsDoNotFillTheContextTable(SrtpProfile profile) throws Exception {
        SrtpKeys keys = keys(profile);
        SrtpSession ours = SrtpSession.of(keys, DtlsRole.SERVER);
        for (int i = 0; i < 3 * SrtpSession.MAX_SSRCS; i++) {
            byte[] forged = rtp(1, 40);
            ByteBuffer.wrap(forged).putInt(8, 0x7000_0000 + i);
            assertEquals(-1, ours.unprotectRtp(Arrays.copyOf(forged, forged.length + 16), 0, forged.length + 16));
        }
        assertEquals(3 * SrtpSession.MAX_SSRCS, ours.authFailures());
        assertEquals(0, ours.tooManySsrcs());

        // Genuine streams are accepted up to the bound, then counted and dropped.
        for (int i = 0; i <= SrtpSession.MAX_SSRCS; i++) {
            byte[] srtp = protect(peerSender(keys, DtlsRole.CLIENT, SSRC + i), rtpFrom(SSRC + i, 7, 20));
            int expected = i < SrtpSession.MAX_SSRCS ? 32 : -1;
            assertEquals(expected, ours.unprotectRtp(srtp, 0, srtp.length), "stream " + i);
        }
        assertEquals(1, ours.tooManySsrcs());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void malformedPacketsAreRefusedBeforeCrypto(SrtpProfile profile) {
        SrtpSession ours = SrtpSession.of(keys(profile), DtlsRole.SERVER);
        assertEquals(-1, ours.unprotectRtp(new byte[11], 0, 11));
        byte[] version1 = rtp(1, 40);
        version1[0] = 0x40;
        assertEquals(-1, ours.unprotectRtp(version1, 0, version1.length));
        assertEquals(-1, ours.unprotectRtcp(new byte[] {(byte) 0x80, (byte) 0xC9, 0, 1}, 0, 4));
        // Long enough for a header but not for the tag: jitsi-srtp reports it invalid.
        byte[] noTag = rtp(1, 0);
        assertEquals(-1, ours.unprotectRtp(noTag, 0, noTag.length));
        assertEquals(4, ours.malformed());
        assertEquals(0, ours.authFailures());
        assertThrows(IndexOutOfBoundsException.class, () -> ours.unprotectRtp(new byte[20], 10, 20));
        assertThrows(IllegalArgumentException.class, () -> ours.protectRtcp(new byte[4]));
    }

    private static SrtpKeys keys(SrtpProfile profile) {
        byte[] material = new byte[2 * (profile.keyLength() + profile.saltLength())];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 1);
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        return new SrtpKeys(profile, Arrays.copyOfRange(material, 0, k), Arrays.copyOfRange(material, 2 * k, 2 * k + s),
                Arrays.copyOfRange(material, k, 2 * k), Arrays.copyOfRange(material, 2 * k + s, material.length));
    }

    private static SrtpCryptoContext peerSender(SrtpKeys keys, DtlsRole peerRole) throws Exception {
        return peerSender(keys, peerRole, SSRC);
    }

    /** A jitsi-srtp sender context holding the keys of the peer's own DTLS role, as the peer's stack would. */
    private static SrtpCryptoContext peerSender(SrtpKeys keys, DtlsRole peerRole, int ssrc) throws Exception {
        boolean client = peerRole == DtlsRole.CLIENT;
        var policy = SrtpSession.policy(keys.profile());
        return new SrtpContextFactory(true, client ? keys.clientKey() : keys.serverKey(),
                client ? keys.clientSalt() : keys.serverSalt(), policy, policy, new LoggerImpl("peer"))
                .deriveContext(ssrc, 0);
    }

    private static byte[] protect(SrtpCryptoContext sender, byte[] rtp) throws Exception {
        // Room for the tag: jitsi-srtp's GCM encryption writes it in place.
        PacketBuffer packet = new PacketBuffer(Arrays.copyOf(rtp, rtp.length + 16), 0, rtp.length);
        assertEquals(SrtpErrorStatus.OK, sender.transformPacket(packet));
        return packet.toArray();
    }

    private static byte[] rtp(int seq, int payloadLength) {
        return rtpFrom(SSRC, seq, payloadLength);
    }

    /** V=2, PT 96, the given sequence number, timestamp 0x01020304, payload bytes 0, 1, 2, ... */
    private static byte[] rtpFrom(int ssrc, int seq, int payloadLength) {
        ByteBuffer rtp = ByteBuffer.allocate(12 + payloadLength);
        rtp.put((byte) 0x80).put((byte) 96).putShort((short) seq).putInt(0x01020304).putInt(ssrc);
        for (int i = 0; i < payloadLength; i++) {
            rtp.put((byte) i);
        }
        return rtp.array();
    }

    /** An empty receiver report (RFC 3550 §6.4.2): V=2, RC=0, PT=201, length 1, sender SSRC. */
    private static byte[] receiverReport() {
        return ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt(0x0BADCAFE).array();
    }
}
