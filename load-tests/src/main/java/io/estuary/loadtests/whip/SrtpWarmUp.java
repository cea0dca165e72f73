package io.estuary.loadtests.whip;

import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.SrtpKeys;
import io.estuary.protocols.webrtc.dtls.SrtpProfile;
import io.estuary.protocols.webrtc.srtp.SrtpSession;

/**
 * Makes jitsi-srtp choose its AES implementations before any stream paces. On the first use of each cipher
 * transformation it benchmarks the implementations it has, for up to a second, holding a JVM-wide lock
 * ({@code org.jitsi.srtp.crypto.Aes}); every other thread creating an SRTP context meanwhile waits. Done during a
 * run, that froze every publisher at once (a sender report's first SRTCP context waited), and the burst that
 * followed overflowed the server's socket: loss and NACKs that were the load tool's doing.
 */
final class SrtpWarmUp {
    private static boolean done;

    private SrtpWarmUp() {
    }

    /** Protects and unprotects RTP and RTCP with both profiles, both ways, once per JVM. */
    static synchronized void once() {
        if (done) {
            return;
        }
        byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3};
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpKeys keys = new SrtpKeys(profile, new byte[profile.keyLength()], new byte[profile.saltLength()],
                    new byte[profile.keyLength()], new byte[profile.saltLength()]);
            SrtpSession client = SrtpSession.of(keys, DtlsRole.CLIENT);
            SrtpSession server = SrtpSession.of(keys, DtlsRole.SERVER);
            byte[] srtp = client.protectRtp(rtp);
            byte[] srtcp = client.protectRtcp(rtcp);
            server.unprotectRtp(srtp, 0, srtp.length);
            server.unprotectRtcp(srtcp, 0, srtcp.length);
            byte[] back = server.protectRtcp(rtcp);
            client.unprotectRtcp(back, 0, back.length);
        }
        done = true;
    }
}
