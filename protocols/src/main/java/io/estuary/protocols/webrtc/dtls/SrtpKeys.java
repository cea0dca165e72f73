package io.estuary.protocols.webrtc.dtls;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts one DTLS association produced (RFC 5764 §4.2). The client's key and salt protect
 * what the DTLS client sends, the server's what the DTLS server sends, whatever the direction of the media.
 *
 * <p>The arrays are copied in and out so that no holder can change another's keys; {@link #toString()} names the
 * profile only, so keys never reach a log.
 */
public record SrtpKeys(SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

    public SrtpKeys {
        Objects.requireNonNull(profile, "profile");
        clientKey = checkedCopy(clientKey, profile.keyLength(), "clientKey");
        clientSalt = checkedCopy(clientSalt, profile.saltLength(), "clientSalt");
        serverKey = checkedCopy(serverKey, profile.keyLength(), "serverKey");
        serverSalt = checkedCopy(serverSalt, profile.saltLength(), "serverSalt");
    }

    /**
     * Splits keying material exported with the label "EXTRACTOR-dtls_srtp" (RFC 5764 §4.2): client key, server key,
     * client salt, server salt, in that order.
     */
    static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material) {
        int key = profile.keyLength();
        int salt = profile.saltLength();
        if (material.length != 2 * (key + salt)) {
            throw new IllegalArgumentException("keying material for " + profile + " must be " + 2 * (key + salt)
                    + " bytes, got " + material.length);
        }
        return new SrtpKeys(profile,
                Arrays.copyOfRange(material, 0, key),
                Arrays.copyOfRange(material, 2 * key, 2 * key + salt),
                Arrays.copyOfRange(material, key, 2 * key),
                Arrays.copyOfRange(material, 2 * key + salt, 2 * (key + salt)));
    }

    /** Length of the keying material {@link #fromKeyingMaterial} expects for this profile. */
    static int keyingMaterialLength(SrtpProfile profile) {
        return 2 * (profile.keyLength() + profile.saltLength());
    }

    @Override
    public byte[] clientKey() {
        return clientKey.clone();
    }

    @Override
    public byte[] clientSalt() {
        return clientSalt.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public byte[] serverSalt() {
        return serverSalt.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SrtpKeys that
                && profile == that.profile
                && Arrays.equals(clientKey, that.clientKey)
                && Arrays.equals(clientSalt, that.clientSalt)
                && Arrays.equals(serverKey, that.serverKey)
                && Arrays.equals(serverSalt, that.serverSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(clientKey), Arrays.hashCode(clientSalt),
                Arrays.hashCode(serverKey), Arrays.hashCode(serverSalt));
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + ", keys masked]";
    }

    private static byte[] checkedCopy(byte[] value, int length, String name) {
        Objects.requireNonNull(value, name);
        if (value.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + value.length);
        }
        return value.clone();
    }
}
