package io.estuary.media.router;

/** A publish was refused because another publisher holds the stream. */
public final class StreamBusyException extends Exception {

    public StreamBusyException(StreamKey key) {
        super("stream " + key + " is already being published");
    }
}
