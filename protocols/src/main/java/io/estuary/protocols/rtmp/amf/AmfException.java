package io.estuary.protocols.rtmp.amf;

/** Malformed or oversized AMF data; the message is a reason fit for a log line. */
public final class AmfException extends RuntimeException {

    public AmfException(String message) {
        super(message);
    }
}
