package io.estuary.protocols.webrtc.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One payload format of an m-section: its {@code a=rtpmap}, {@code a=fmtp} and {@code a=rtcp-fb} lines.
 *
 * @param name         the encoding name as written (compare case-insensitively, RFC 4855 §3)
 * @param channels     1 when the rtpmap has no channel count
 * @param fmtp         the format parameters "k=v;k=v" in offer order (a parameter without '=' maps to ""); empty
 *                     when there is no fmtp line
 * @param rtcpFeedback the values of the {@code a=rtcp-fb} lines for this payload type (and for '*'), without the
 *                     payload type, e.g. {@code "nack pli"}
 */
public record OfferedCodec(int payloadType, String name, int clockRate, int channels, Map<String, String> fmtp,
        List<String> rtcpFeedback) {

    public OfferedCodec {
        fmtp = Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /** The value of a format parameter, looked up case-insensitively (RFC 6184 §8.1), or null. */
    public String fmtpValue(String key) {
        for (Map.Entry<String, String> e : fmtp.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The fmtp parameters written back as "k=v;k=v", in offer order. */
    public String fmtpLine() {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> e : fmtp.entrySet()) {
            if (!line.isEmpty()) {
                line.append(';');
            }
            line.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                line.append('=').append(e.getValue());
            }
        }
        return line.toString();
    }
}
