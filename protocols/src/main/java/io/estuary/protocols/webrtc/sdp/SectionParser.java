package io.estuary.protocols.webrtc.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects the lines of one m-section and builds its {@link MediaSection}. */
final class SectionParser {
    static final int MAX_MID_LENGTH = 64;
    private static final int MAX_PAYLOAD_TYPE = 127;
    private static final int MAX_CHANNELS = 255;

    /** RFC 3551 §6 static payload types a browser may offer without an rtpmap: encoding name, clock rate. */
    private static final Map<Integer, String[]> STATIC_TYPES = Map.of(
            0, new String[] {"PCMU", "8000"},
            3, new String[] {"GSM", "8000"},
            8, new String[] {"PCMA", "8000"},
            9, new String[] {"G722", "8000"},
            13, new String[] {"CN", "8000"},
            18, new String[] {"G729", "8000"},
            26, new String[] {"JPEG", "90000"},
            34, new String[] {"H263", "90000"});

    private final SdpOfferParser parser;
    private final String kind;
    private final int port;
    private final String protocol;
    private final List<String> formats;
    /** Whether the formats are RTP payload types, so rtpmap/fmtp/rtcp-fb apply (not so for SCTP data channels). */
    private final boolean rtp;
    private final TransportAttributes transport = new TransportAttributes();
    private final Map<Integer, String[]> rtpmaps = new HashMap<>();
    private final Map<Integer, Map<String, String>> fmtps = new HashMap<>();
    private final Map<String, List<String>> feedback = new HashMap<>();
    private final Set<Long> ssrcs = new LinkedHashSet<>();
    private final List<String> candidates = new ArrayList<>();
    private String mid;
    private String direction;
    private boolean rtcpMux;
    private boolean rtcpReducedSize;
    private boolean bundleOnly;

    /** Reads the m-line: {@code m=<media> <port>[/<count>] <proto> <fmt> ...} (RFC 8866 §5.14). */
    SectionParser(SdpOfferParser parser, String line, String value) throws SdpException {
        this.parser = parser;
        String[] parts = value.split(" ");
        if (parts.length < 4) {
            throw parser.error(line, "m-line needs media, port, protocol and at least one format");
        }
        if (parts.length - 3 > SdpOffer.MAX_FORMATS_PER_SECTION) {
            throw parser.error(line, "more than " + SdpOffer.MAX_FORMATS_PER_SECTION + " formats");
        }
        if (!Sdp.isToken(parts[0], 32)) {
            throw parser.error(line, "bad media type");
        }
        kind = parts[0];
        String portText = parts[1];
        int slash = portText.indexOf('/');
        if (slash >= 0) {
            // A port count (for hierarchical coding) is legal SDP; it changes nothing for a bundled transport.
            if (Sdp.parseNumber(portText.substring(slash + 1), 65535) < 1) {
                throw parser.error(line, "bad port count");
            }
            portText = portText.substring(0, slash);
        }
        long parsedPort = Sdp.parseNumber(portText, 65535);
        if (parsedPort < 0) {
            throw parser.error(line, "port must be a number from 0 to 65535");
        }
        port = (int) parsedPort;
        for (String part : parts[2].split("/", -1)) {
            if (!Sdp.isToken(part, 32)) {
                throw parser.error(line, "bad protocol");
            }
        }
        protocol = parts[2];
        rtp = protocol.contains("RTP/");
        formats = List.of(parts).subList(3, parts.length);
        Set<String> seen = new HashSet<>();
        for (String format : formats) {
            long payloadType = Sdp.parseNumber(format, MAX_PAYLOAD_TYPE);
            if (rtp ? payloadType < 0 || !format.equals(Long.toString(payloadType)) : !Sdp.isToken(format, 64)) {
                throw parser.error(line, rtp ? "payload type '" + Sdp.excerpt(format) + "' is not 0 to 127"
                        : "bad format '" + Sdp.excerpt(format) + "'");
            }
            if (!seen.add(format)) {
                throw parser.error(line, "format " + format + " twice");
            }
        }
    }

    void attribute(String line, String name, String value) throws SdpException {
        if (transport.attribute(parser, line, name, value)) {
            return;
        }
        switch (name) {
            case "mid" -> {
                if (value == null || !Sdp.isToken(value, MAX_MID_LENGTH)) {
                    throw parser.error(line, "mid must be a token of 1 to " + MAX_MID_LENGTH + " characters");
                }
                if (mid != null) {
                    throw parser.error(line, "a second a=mid");
                }
                mid = value;
            }
            case "sendrecv", "sendonly", "recvonly", "inactive" -> direction = name;
            case "rtcp-mux" -> rtcpMux = true;
            case "rtcp-rsize" -> rtcpReducedSize = true;
            case "bundle-only" -> bundleOnly = true;
            case "rtpmap" -> rtpmap(line, value);
            case "fmtp" -> fmtp(line, value);
            case "rtcp-fb" -> rtcpFeedback(line, value);
            case "ssrc" -> ssrc(line, value);
            case "candidate" -> {
                if (value == null || value.isBlank()) {
                    throw parser.error(line, "empty candidate");
                }
                candidates.add("candidate:" + value);
            }
            default -> {
                // extmap, msid, ssrc-group, rtcp, ice-options...: nothing we answer or act on.
            }
        }
    }

    /** {@code a=rtpmap:<pt> <name>/<clock rate>[/<channels>]} (RFC 8866 §6.6). */
    private void rtpmap(String line, String value) throws SdpException {
        if (!rtp) {
            return;
        }
        int payloadType = payloadType(line, value);
        String[] encoding = value.substring(value.indexOf(' ') + 1).trim().split("/", -1);
        if (encoding.length < 2 || encoding.length > 3 || !Sdp.isToken(encoding[0], 64)) {
            throw parser.error(line, "expected '<pt> <name>/<clock rate>[/<channels>]'");
        }
        if (Sdp.parseNumber(encoding[1], Integer.MAX_VALUE) < 1) {
            throw parser.error(line, "clock rate must be a positive number");
        }
        if (encoding.length == 3 && Sdp.parseNumber(encoding[2], MAX_CHANNELS) < 1) {
            throw parser.error(line, "channels must be 1 to " + MAX_CHANNELS);
        }
        if (rtpmaps.put(payloadType, encoding) != null) {
            throw parser.error(line, "a second a=rtpmap for payload type " + payloadType);
        }
    }

    /** {@code a=fmtp:<pt> <k=v;k=v>} (RFC 8866 §6.15); parameters without '=' map to "". */
    private void fmtp(String line, String value) throws SdpException {
        if (!rtp) {
            return;
        }
        int payloadType = payloadType(line, value);
        int space = value.indexOf(' ');
        Map<String, String> parameters = new LinkedHashMap<>();
        if (space > 0) {
            for (String parameter : value.substring(space + 1).split(";")) {
                String trimmed = parameter.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                String key = equals < 0 ? trimmed : trimmed.substring(0, equals).trim();
                if (key.isEmpty()) {
                    throw parser.error(line, "parameter without a name");
                }
                parameters.putIfAbsent(key, equals < 0 ? "" : trimmed.substring(equals + 1).trim());
            }
        }
        if (fmtps.put(payloadType, parameters) != null) {
            throw parser.error(line, "a second a=fmtp for payload type " + payloadType);
        }
    }

    /** {@code a=rtcp-fb:<pt or *> <type> [<parameters>]} (RFC 4585 §4.2). */
    private void rtcpFeedback(String line, String value) throws SdpException {
        if (!rtp) {
            return;
        }
        String target = value == null ? "" : value.split(" ", 2)[0];
        if (!target.equals("*")) {
            target = Integer.toString(payloadType(line, value));
        }
        String type = value.substring(target.length()).trim();
        if (type.isEmpty()) {
            throw parser.error(line, "rtcp-fb without a feedback type");
        }
        feedback.computeIfAbsent(target, t -> new ArrayList<>()).add(type);
    }

    /** {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 §4.1). */
    private void ssrc(String line, String value) throws SdpException {
        String number = value == null ? "" : value.split(" ", 2)[0];
        long ssrc = Sdp.parseNumber(number, 0xFFFF_FFFFL);
        if (ssrc < 0) {
            throw parser.error(line, "SSRC must be a number from 0 to 4294967295");
        }
        ssrcs.add(ssrc);
    }

    /** The payload type at the start of an rtpmap/fmtp/rtcp-fb value; it must be one of the m-line's formats. */
    private int payloadType(String line, String value) throws SdpException {
        String text = value == null ? "" : value.split(" ", 2)[0];
        long payloadType = Sdp.parseNumber(text, MAX_PAYLOAD_TYPE);
        if (payloadType < 0) {
            throw parser.error(line, "payload type must be a number from 0 to 127");
        }
        if (!formats.contains(text)) {
            throw parser.error(line, "payload type " + text + " is not on this section's m-line");
        }
        return (int) payloadType;
    }

    MediaSection build(TransportAttributes session, String sessionDirection) throws SdpException {
        transport.finish("m-section " + (mid == null ? kind : "mid " + mid));
        List<OfferedCodec> codecs = new ArrayList<>();
        if (rtp) {
            for (String format : formats) {
                OfferedCodec codec = codec(Integer.parseInt(format));
                if (codec != null) {
                    codecs.add(codec);
                }
            }
        }
        return new MediaSection(kind, port, protocol, mid, direction == null ? sessionDirection : direction,
                transport.iceUfrag != null ? transport.iceUfrag : session.iceUfrag,
                transport.icePwd != null ? transport.icePwd : session.icePwd,
                transport.fingerprint != null ? transport.fingerprint : session.fingerprint,
                transport.setup != null ? transport.setup : session.setup,
                rtcpMux, codecs, List.copyOf(ssrcs), candidates, formats, rtcpReducedSize, bundleOnly);
    }

    /** The codec of a payload type, or null when it has neither an rtpmap nor a static assignment. */
    private OfferedCodec codec(int payloadType) {
        String[] encoding = rtpmaps.getOrDefault(payloadType, STATIC_TYPES.get(payloadType));
        if (encoding == null) {
            return null;
        }
        List<String> codecFeedback = new ArrayList<>(feedback.getOrDefault(Integer.toString(payloadType), List.of()));
        codecFeedback.addAll(feedback.getOrDefault("*", List.of()));
        return new OfferedCodec(payloadType, encoding[0], Integer.parseInt(encoding[1]),
                encoding.length == 3 ? Integer.parseInt(encoding[2]) : 1,
                fmtps.getOrDefault(payloadType, Map.of()), codecFeedback);
    }
}
