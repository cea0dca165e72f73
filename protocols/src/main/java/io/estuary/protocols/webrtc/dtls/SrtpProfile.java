package io.estuary.protocols.webrtc.dtls;

import java.util.Optional;

/**
 * The SRTP protection profiles we negotiate in the DTLS {@code use_srtp} extension (RFC 5764 §4.1.2, RFC 7714
 * §14.2), in our order of preference: the AEAD profile first because it authenticates with the cipher itself and
 * costs one pass over the packet, the HMAC profile second because every WebRTC stack still offers it.
 */
public enum SrtpProfile {
    /** RFC 7714: AES-128 in Galois/Counter Mode, 16-byte tag, 96-bit salt. */
    AEAD_AES_128_GCM(0x0007, 16, 12),
    /** RFC 3711 default transform: AES-128 counter mode, HMAC-SHA1 tag truncated to 80 bits, 112-bit salt. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The two-byte SRTPProtectionProfile value on the wire. */
    public int id() {
        return id;
    }

    /** Master key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** The profile with this wire value, or empty for one we do not support. */
    public static Optional<SrtpProfile> fromId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }
}
