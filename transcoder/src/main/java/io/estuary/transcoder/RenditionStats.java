package io.estuary.transcoder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one rendition of a transcoding session has done: frames out, frames left out by load shedding, the recent
 * output rate and the time its worker spent scaling and encoding. Each count but the dropped frames has one writer
 * (the rung's worker, or the session thread for the source); anyone reads (metrics, API).
 */
public final class RenditionStats {

    private final String name;
    private final boolean passthrough;
    private final int width;
    private final int height;
    private final int bitrate;
    private volatile long frames;
    /** Two writers: the session thread (shedding) and the rung's worker (an encoder error). */
    private final AtomicLong dropped = new AtomicLong();
    private volatile double framesPerSecond;
    private volatile long workNanos;
    /** {@link #frames} and {@link #workNanos} when the window last closed (the session thread closes it). */
    private long framesAtWindowStart;
    private long workAtWindowStart;

    RenditionStats(String name, boolean passthrough, int width, int height, int bitrate) {
        this.name = name;
        this.passthrough = passthrough;
        this.width = width;
        this.height = height;
        this.bitrate = bitrate;
    }

    public String name() {
        return name;
    }

    public boolean passthrough() {
        return passthrough;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The target bit rate; 0 for the passed-through source. */
    public int bitrate() {
        return bitrate;
    }

    public long frames() {
        return frames;
    }

    /** Frames this rendition left out: shed under load, or lost to an encoder error. */
    public long droppedFrames() {
        return dropped.get();
    }

    /** Output frames per second over the last window (about two seconds). */
    public double framesPerSecond() {
        return framesPerSecond;
    }

    /**
     * Wall time the rung's worker spent scaling and encoding, waits for a core included (so a busy machine shows);
     * 0 for the passed-through source. Its rate is the share of a core the rendition keeps busy.
     */
    public double workSeconds() {
        return workNanos / 1e9;
    }

    /** Called by one thread only (the rung's worker, or the session thread for the source). */
    void frameOut() {
        frames++;
    }

    /** Called by the rung's worker only, after each picture. */
    void worked(long nanos) {
        workNanos += nanos;
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    /** Closes the rate window; returns the work done in it, in nanoseconds. */
    long closeWindow(double seconds) {
        long now = frames;
        framesPerSecond = (now - framesAtWindowStart) / seconds;
        framesAtWindowStart = now;
        long work = workNanos;
        long inWindow = work - workAtWindowStart;
        workAtWindowStart = work;
        return inWindow;
    }
}
