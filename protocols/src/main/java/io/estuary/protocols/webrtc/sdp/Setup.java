package io.estuary.protocols.webrtc.sdp;

/** The DTLS role attribute {@code a=setup} (RFC 8122 §5; RFC 5763 §5). {@code holdconn} is not usable for WebRTC. */
public enum Setup {
    ACTPASS("actpass"),
    ACTIVE("active"),
    PASSIVE("passive");

    private final String sdpValue;

    Setup(String sdpValue) {
        this.sdpValue = sdpValue;
    }

    /** The attribute value as written in SDP, e.g. {@code "actpass"}. */
    public String sdpValue() {
        return sdpValue;
    }

    /** The role for an attribute value (case-sensitive, as RFC 8122 spells the tokens), or null when unknown. */
    static Setup ofSdpValue(String value) {
        for (Setup setup : values()) {
            if (setup.sdpValue.equals(value)) {
                return setup;
            }
        }
        return null;
    }
}
