package io.estuary.loadtests.whip;

import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.SrtpKeys;
import io.estuary.protocols.webrtc.dtls.SrtpProfile;
import io.estuary.protocols.webrtc.rtp.RtpException;
import io.estuary.protocols.webrtc.rtp.RtpPacket;
import io.estuary.protocols.webrtc.srtp.SrtpSession;
import java.util.Arrays;

/** The two ends of one SRTP association, as a DTLS handshake would leave them: the publisher and the server. */
final class SrtpPair {
    final SrtpSession publisher;
    final SrtpSession server;

    SrtpPair() {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        Arrays.fill(key, (byte) 7);
        Arrays.fill(salt, (byte) 9);
        SrtpKeys keys = new SrtpKeys(profile, key, salt, key.clone(), salt.clone());
        publisher = SrtpSession.of(keys, DtlsRole.CLIENT);
        server = SrtpSession.of(keys, DtlsRole.SERVER);
    }

    /** Decrypts what the publisher sent, as the server does; fails the test when it does not authenticate. */
    RtpPacket receive(byte[] srtp) throws RtpException {
        byte[] copy = srtp.clone();
        int n = server.unprotectRtp(copy, 0, copy.length);
        if (n < 0) {
            throw new AssertionError("SRTP did not authenticate");
        }
        return RtpPacket.parse(copy, 0, n);
    }
}
