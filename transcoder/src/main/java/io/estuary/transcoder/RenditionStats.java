package io.estuary.transcoder;

/**
 * What one rendition of a transcoding session has done: frames out, frames left out by load shedding, and the
 * recent output rate. Written by the session's thread, read by anyone (metrics, API).
 */
public final class RenditionStats {

    private final String name;
    private final boolean passthrough;
    private final int width;
    private final int height;
    private final int bitrate;
    private volatile long frames;
    private volatile long dropped;
    private volatile double framesPerSecond;
    /** {@link #frames} when the rate window last closed (the session thread closes it; a worker counts). */
    private long framesAtWindowStart;

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
        return dropped;
    }

    /** Output frames per second over the last window (about two seconds). */
    public double framesPerSecond() {
        return framesPerSecond;
    }

    /** Called by one thread only (the rung's worker, or the session thread for the source). */
    void frameOut() {
        frames++;
    }

    void dropped() {
        dropped++;
    }

    void closeWindow(double seconds) {
        long now = frames;
        framesPerSecond = (now - framesAtWindowStart) / seconds;
        framesAtWindowStart = now;
    }
}
