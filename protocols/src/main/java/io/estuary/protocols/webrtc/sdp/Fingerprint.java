package io.estuary.protocols.webrtc.sdp;

import java.util.Locale;

/**
 * A certificate fingerprint {@code a=fingerprint} (RFC 8122 §5): the hash algorithm in lower case, e.g.
 * {@code "sha-256"}, and the digest as upper-case hex pairs joined by ':'. The DTLS layer checks the peer's
 * certificate against it.
 */
public record Fingerprint(String algorithm, String value) {

    /**
     * Reads an attribute value {@code "<hash-func> <XX:XX:...>"}. Only the SHA-2 family is accepted: RFC 8827 §6.5
     * requires at least SHA-256 for WebRTC, and a digest of the wrong length can never match a certificate.
     *
     * @throws SdpException (400) naming the problem
     */
    static Fingerprint parse(String attributeValue) throws SdpException {
        String[] parts = attributeValue.trim().split(" +");
        if (parts.length != 2) {
            throw new SdpException("a=fingerprint: expected '<hash> <hex>', got '" + Sdp.excerpt(attributeValue) + "'",
                    false);
        }
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        int digestBytes = switch (algorithm) {
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> throw new SdpException("a=fingerprint: hash function '" + Sdp.excerpt(parts[0])
                    + "' not supported (sha-256, sha-384 or sha-512)", false);
        };
        String value = parts[1].toUpperCase(Locale.ROOT);
        if (!isHexPairs(value, digestBytes)) {
            throw new SdpException("a=fingerprint: " + algorithm + " wants " + digestBytes
                    + " hex pairs joined by ':', got '" + Sdp.excerpt(parts[1]) + "'", false);
        }
        return new Fingerprint(algorithm, value);
    }

    private static boolean isHexPairs(String value, int pairs) {
        if (value.length() != pairs * 3 - 1) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':' : (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
