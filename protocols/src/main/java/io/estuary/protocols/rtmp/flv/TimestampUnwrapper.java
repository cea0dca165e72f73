package io.estuary.protocols.rtmp.flv;

/**
 * Turns 32-bit RTMP millisecond timestamps into a 64-bit timeline. Each step is taken as the signed 32-bit
 * difference to the previous value, so a wrap past 2^32 moves forward and small backwards jitter (interleaving,
 * B-frame muxers) moves back a little instead of jumping 49 days.
 */
public final class TimestampUnwrapper {
    private boolean started;
    private long last32;
    private long unwrapped;

    public long unwrap(long timestamp32) {
        long ts = timestamp32 & 0xFFFFFFFFL;
        if (!started) {
            started = true;
            unwrapped = ts;
        } else {
            unwrapped += (int) (ts - last32);
        }
        last32 = ts;
        return unwrapped;
    }
}
