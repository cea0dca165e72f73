package io.estuary.protocols.webrtc.sdp;

/**
 * An SDP offer we refuse. The two kinds map to different HTTP answers of the WHIP resource: a malformed offer is
 * the client's bug (400), a well-formed one with nothing we can receive is a capability mismatch (406).
 */
public final class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean notAcceptable;

    /**
     * @param reason        a human message naming the offending line or field, fit for a log line and a response
     * @param notAcceptable true when the offer is well-formed but offers nothing we can receive
     */
    public SdpException(String reason, boolean notAcceptable) {
        super(reason);
        this.notAcceptable = notAcceptable;
    }

    /** True: well-formed but nothing we can receive (HTTP 406); false: malformed (HTTP 400). */
    public boolean notAcceptable() {
        return notAcceptable;
    }
}
