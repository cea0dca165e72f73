package io.estuary.protocols.webrtc.ice;

/** ICE could not be set up or did not connect; the message says why. */
public final class IceException extends Exception {

    public IceException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
