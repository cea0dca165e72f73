package io.estuary.protocols.webrtc.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an offer line by line (RFC 8866 §5): session-level lines until the first m-line, then one
 * {@link SectionParser} per m-section. Line types and attributes a WHIP server does not act on are skipped; those
 * it does act on are checked strictly, because a mistake in them would only surface later as a failed ICE or DTLS
 * handshake that is much harder to explain to the publisher.
 */
final class SdpOfferParser {
    private final TransportAttributes session = new TransportAttributes();
    private final List<SectionParser> sections = new ArrayList<>();
    private List<String> bundleMids;
    private String sessionDirection = "sendrecv";
    private int lineNumber;

    SdpOffer parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpException("empty body, expected an SDP offer", false);
        }
        if (sdp.length() > SdpOffer.MAX_LENGTH) {
            throw new SdpException("offer of " + sdp.length() + " characters is over the limit of "
                    + SdpOffer.MAX_LENGTH, false);
        }
        int start = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            int next = end < 0 ? sdp.length() : end + 1;
            if (end < 0) {
                end = sdp.length();
            }
            if (end > start && sdp.charAt(end - 1) == '\r') {
                end--;
            }
            lineNumber++;
            if (lineNumber > SdpOffer.MAX_LINES) {
                throw new SdpException("offer has more than " + SdpOffer.MAX_LINES + " lines", false);
            }
            line(sdp.substring(start, end));
            start = next;
        }
        return finish();
    }

    private void line(String line) throws SdpException {
        if (lineNumber == 1) {
            if (!line.equals("v=0")) {
                throw new SdpException("not SDP: the first line must be 'v=0', got '" + Sdp.excerpt(line) + "'",
                        false);
            }
            return;
        }
        if (line.isEmpty()) {
            return; // a trailing blank line is common; RFC 8866 is strict, but nothing is lost by skipping it
        }
        checkCharacters(line);
        if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
            throw error(line, "expected '<type>=<value>'");
        }
        String value = line.substring(2);
        if (line.charAt(0) == 'm') {
            if (sections.size() == SdpOffer.MAX_MEDIA_SECTIONS) {
                throw new SdpException("offer has more than " + SdpOffer.MAX_MEDIA_SECTIONS + " m-sections", false);
            }
            sections.add(new SectionParser(this, line, value));
        } else if (line.charAt(0) == 'a') {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            String attributeValue = colon < 0 ? null : value.substring(colon + 1);
            if (sections.isEmpty()) {
                sessionAttribute(line, name, attributeValue);
            } else {
                sections.get(sections.size() - 1).attribute(line, name, attributeValue);
            }
        }
        // o=, s=, t=, c=, b= and the rest carry nothing a WHIP server acts on.
    }

    /**
     * Control characters would let an offer smuggle line breaks into text we echo back in the answer (mids, H.264
     * fmtp); SDP has no use for them (RFC 8866 §5: only CRLF/LF end a line).
     */
    private void checkCharacters(String line) throws SdpException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw error(line, "control character 0x" + Integer.toHexString(c) + " at column " + (i + 1));
            }
        }
    }

    private void sessionAttribute(String line, String name, String value) throws SdpException {
        switch (name) {
            case "group" -> group(line, value);
            case "sendrecv", "sendonly", "recvonly", "inactive" -> sessionDirection = name;
            default -> session.attribute(this, line, name, value);
        }
    }

    /** Keeps the first BUNDLE group: we run one transport, so media outside it cannot be received. */
    private void group(String line, String value) throws SdpException {
        if (value == null) {
            throw error(line, "a=group without semantics");
        }
        String[] parts = value.trim().split(" +");
        if (!parts[0].equals("BUNDLE") || bundleMids != null) {
            return;
        }
        if (parts.length - 1 > SdpOffer.MAX_MEDIA_SECTIONS) {
            throw error(line, "BUNDLE group of more than " + SdpOffer.MAX_MEDIA_SECTIONS + " mids");
        }
        List<String> mids = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (!Sdp.isToken(parts[i], SectionParser.MAX_MID_LENGTH)) {
                throw error(line, "bad mid '" + Sdp.excerpt(parts[i]) + "'");
            }
            if (mids.contains(parts[i])) {
                throw error(line, "mid '" + parts[i] + "' twice");
            }
            mids.add(parts[i]);
        }
        bundleMids = mids;
    }

    private SdpOffer finish() throws SdpException {
        session.finish("session level");
        List<MediaSection> media = new ArrayList<>();
        Set<String> mids = new HashSet<>();
        for (SectionParser section : sections) {
            MediaSection built = section.build(session, sessionDirection);
            if (built.mid() != null && !mids.add(built.mid())) {
                throw new SdpException("two m-sections have a=mid:" + built.mid(), false);
            }
            media.add(built);
        }
        List<String> bundle = bundleMids == null ? List.of() : bundleMids;
        for (String mid : bundle) {
            if (!mids.contains(mid)) {
                throw new SdpException("a=group:BUNDLE names mid '" + mid + "' that no m-section has", false);
            }
        }
        return new SdpOffer(media, bundle);
    }

    /** A 400 naming the current line. */
    SdpException error(String line, String problem) {
        return new SdpException("line " + lineNumber + " '" + Sdp.excerpt(line) + "': " + problem, false);
    }
}
