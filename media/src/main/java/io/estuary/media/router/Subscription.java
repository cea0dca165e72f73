package io.estuary.media.router;

/** A subscriber's handle on a session: its drop counters, and a way to leave. */
public interface Subscription extends AutoCloseable {

    /** Frames dropped because this subscriber fell behind (its queue was full). */
    long droppedFrames();

    /** Frames waiting to be delivered. */
    int queuedFrames();

    @Override
    void close();
}
