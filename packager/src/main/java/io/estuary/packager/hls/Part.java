package io.estuary.packager.hls;

import java.nio.ByteBuffer;

/**
 * One partial segment as kept in the live window. Its bytes live once, in a read-only direct buffer: the server
 * writes duplicates of it to sockets without a per-request copy, and a segment is served as its parts in order.
 *
 * @param decodeTime the part's tfdt, in the track's timescale
 */
record Part(int index, ByteBuffer data, long decodeTime, long durationTicks, int sampleCount, boolean independent) {

    /** A read-only direct copy of media bytes, made once when the object enters the window. */
    static ByteBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b.asReadOnlyBuffer();
    }

    int size() {
        return data.remaining();
    }
}
