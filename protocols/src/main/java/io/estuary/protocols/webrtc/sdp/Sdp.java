package io.estuary.protocols.webrtc.sdp;

/** Small lexical helpers shared by the parser and the negotiation: bounded numbers, tokens, message excerpts. */
final class Sdp {
    /** Longest piece of offending input quoted in an error message, so a hostile line cannot bloat our logs. */
    private static final int EXCERPT = 60;

    private Sdp() {
    }

    /** The text, cut to a length fit for an error message. */
    static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
    }

    /**
     * A decimal number of at most {@code max}, digits only (no sign, no spaces: SDP numbers are plain digits),
     * or -1 when the text is not one.
     */
    static long parseNumber(String text, long max) {
        if (text.isEmpty() || text.length() > 19) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                return -1;
            }
        }
        return value;
    }

    /** An SDP token (RFC 8866 §9): the characters allowed in mids, media types and protocol parts. */
    static boolean isToken(String text, int maxLength) {
        if (text.isEmpty() || text.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`{|}~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** ICE ufrag/pwd characters (RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"), 1 to 256 of them. */
    static boolean isIceChars(String text) {
        if (text.isEmpty() || text.length() > 256) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
