package io.estuary.protocols.webrtc.rtp;

/** A malformed RTP or RTCP packet, or a media payload we cannot make sense of; the message says why. */
public final class RtpException extends Exception {

    public RtpException(String reason) {
        super(reason);
    }
}
