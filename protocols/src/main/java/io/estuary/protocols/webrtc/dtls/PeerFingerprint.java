package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.bouncycastle.tls.Certificate;

/**
 * The certificate fingerprint the peer announced in its SDP ({@code a=fingerprint}, RFC 8122 §5), and the check
 * that the certificate it presents in the handshake hashes to it. That check is the whole of the peer's
 * authentication: its certificate is self-signed.
 */
final class PeerFingerprint {
    private final String algorithm;
    private final byte[] expected;

    private PeerFingerprint(String algorithm, byte[] expected) {
        this.algorithm = algorithm;
        this.expected = expected;
    }

    /**
     * Parses {@code "sha-256"} and {@code "AB:CD:..."} as they appear in the SDP.
     *
     * @throws IllegalArgumentException with the reason when the algorithm is not one we accept or the value is not
     *         colon-separated hex of that algorithm's length
     */
    static PeerFingerprint parse(String algorithm, String fingerprint) {
        if (algorithm == null || fingerprint == null) {
            throw new IllegalArgumentException("the peer's SDP carried no certificate fingerprint");
        }
        String name = algorithm.toLowerCase(Locale.ROOT);
        int length = digestLength(name);
        // Each byte is two hex digits, separated by one colon: bound the text before splitting it.
        if (fingerprint.length() != 3 * length - 1) {
            throw new IllegalArgumentException("a " + name + " fingerprint has " + length + " bytes (" + (3 * length - 1)
                    + " characters), got " + fingerprint.length() + " characters");
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int at = 3 * i;
            if (i > 0 && fingerprint.charAt(at - 1) != ':') {
                throw new IllegalArgumentException("fingerprint bytes must be separated by ':' (at character " + at + ")");
            }
            int high = Character.digit(fingerprint.charAt(at), 16);
            int low = Character.digit(fingerprint.charAt(at + 1), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("fingerprint is not hexadecimal at character " + at);
            }
            bytes[i] = (byte) (high << 4 | low);
        }
        return new PeerFingerprint(name, bytes);
    }

    /**
     * Checks the end-entity certificate of the peer's chain (RFC 8122 §5: the fingerprint is of the certificate
     * used in the handshake).
     *
     * @return null when it matches, otherwise why not
     */
    String mismatch(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            return "the peer sent no certificate";
        }
        byte[] actual = digest(algorithm, chain.getCertificateAt(0).getEncoded());
        if (!MessageDigest.isEqual(expected, actual)) {
            return "the peer's certificate has " + algorithm + " fingerprint " + format(actual)
                    + ", but its SDP announced " + format(expected);
        }
        return null;
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT)).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    /** Upper-case hex pairs joined by colons, as SDP writes fingerprints. */
    static String format(byte[] digest) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static int digestLength(String algorithm) {
        return switch (algorithm) {
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> throw new IllegalArgumentException("unsupported fingerprint hash function '"
                    + (algorithm.length() > 16 ? algorithm.substring(0, 16) + "..." : algorithm)
                    + "' (we accept sha-256, sha-384, sha-512)");
        };
    }
}
