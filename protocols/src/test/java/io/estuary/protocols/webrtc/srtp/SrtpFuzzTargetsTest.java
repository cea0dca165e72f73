package io.estuary.protocols.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.SrtpKeys;
import io.estuary.protocols.webrtc.dtls.SrtpProfile;

/**
 * Jazzer fuzz targets for the SRTP receive path, which parses attacker-chosen headers (CSRC count, extension
 * length, SRTCP index) before it can authenticate anything. Without JAZZER_FUZZ they run as ordinary tests. The
 * only acceptable outcome is -1 or a length within the input: never an exception.
 */
class SrtpFuzzTargetsTest {
    private static final SrtpKeys AES_CM = keys(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    private static final SrtpKeys GCM = keys(SrtpProfile.AEAD_AES_128_GCM);

    @FuzzTest(maxDuration = "30s")
    void unprotect(FuzzedDataProvider data) {
        SrtpSession session = SrtpSession.of(data.consumeBoolean() ? AES_CM : GCM, DtlsRole.SERVER);
        boolean rtcp = data.consumeBoolean();
        int offset = data.consumeInt(0, 3);
        byte[] packet = data.consumeRemainingAsBytes();
        byte[] buf = new byte[offset + packet.length];
        System.arraycopy(packet, 0, buf, offset, packet.length);
        int length = rtcp ? session.unprotectRtcp(buf, offset, packet.length)
                : session.unprotectRtp(buf, offset, packet.length);
        assertTrue(length == -1 || (length >= 0 && length <= packet.length), "length " + length);
    }

    private static SrtpKeys keys(SrtpProfile profile) {
        return new SrtpKeys(profile, new byte[profile.keyLength()], new byte[profile.saltLength()],
                new byte[profile.keyLength()], new byte[profile.saltLength()]);
    }
}
