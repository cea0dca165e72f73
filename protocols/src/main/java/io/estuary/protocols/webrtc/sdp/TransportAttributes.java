package io.estuary.protocols.webrtc.sdp;

import java.util.Locale;

/**
 * The ICE and DTLS attributes of one scope (the session, or one m-section). They may sit at either level
 * (RFC 8839 §5.4, RFC 8122 §5); a media-level value wins over the session-level one.
 */
final class TransportAttributes {
    String iceUfrag;
    String icePwd;
    Fingerprint fingerprint;
    Setup setup;
    /** Why the fingerprint lines seen so far were refused, when none was usable. */
    private String refusedFingerprint;

    /** Takes the attribute when it is one of ours; returns false to let the caller handle it. */
    boolean attribute(SdpOfferParser parser, String line, String name, String value) throws SdpException {
        switch (name) {
            case "ice-ufrag" -> iceUfrag = iceCredential(parser, line, iceUfrag, value);
            case "ice-pwd" -> icePwd = iceCredential(parser, line, icePwd, value);
            case "setup" -> {
                Setup parsed = Setup.ofSdpValue(value);
                if (parsed == null) {
                    throw parser.error(line, "setup must be actpass, active or passive");
                }
                if (setup != null && setup != parsed) {
                    throw parser.error(line, "a second, different a=setup");
                }
                setup = parsed;
            }
            case "fingerprint" -> fingerprint(parser, line, value);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String iceCredential(SdpOfferParser parser, String line, String previous, String value)
            throws SdpException {
        if (value == null || !Sdp.isIceChars(value)) {
            throw parser.error(line, "expected 1 to 256 of A-Z a-z 0-9 + /");
        }
        if (previous != null && !previous.equals(value)) {
            throw parser.error(line, "a second, different value");
        }
        return value;
    }

    /**
     * RFC 8122 §5 allows several fingerprints (one per hash function). We keep the first SHA-2 one; other hash
     * functions are passed over, and only if no usable one remains is the offer refused (see {@link #finish}).
     */
    private void fingerprint(SdpOfferParser parser, String line, String value) throws SdpException {
        if (value == null) {
            throw parser.error(line, "a=fingerprint without a value");
        }
        String algorithm = value.trim().split(" ", 2)[0].toLowerCase(Locale.ROOT);
        if (!algorithm.equals("sha-256") && !algorithm.equals("sha-384") && !algorithm.equals("sha-512")) {
            refusedFingerprint = "hash function '" + Sdp.excerpt(algorithm)
                    + "' not supported (sha-256, sha-384 or sha-512)";
            return;
        }
        Fingerprint parsed;
        try {
            parsed = Fingerprint.parse(value);
        } catch (SdpException e) {
            throw parser.error(line, e.getMessage());
        }
        if (fingerprint == null) {
            fingerprint = parsed;
        }
    }

    /** Refuses a scope whose only fingerprints use hash functions we do not support. */
    void finish(String scope) throws SdpException {
        if (fingerprint == null && refusedFingerprint != null) {
            throw new SdpException("a=fingerprint at " + scope + ": " + refusedFingerprint, false);
        }
    }
}
