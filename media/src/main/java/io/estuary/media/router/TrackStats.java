package io.estuary.media.router;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;

/**
 * What ingest has received on one track of a session: totals, and rates measured over the media timeline (one
 * window per second of media time, so a burst of buffered frames at connect does not read as a huge bitrate).
 * Written only by the publisher's thread ({@link LiveStream#publish}); read from any thread (metrics, API).
 */
public final class TrackStats {
    private volatile TrackInfo info;
    private volatile long frames;
    private volatile long bytes;
    private volatile double bitrateBps = Double.NaN;
    private volatile double frameRate = Double.NaN;
    private volatile double keyframeIntervalSeconds = Double.NaN;

    // Publisher thread only.
    private long windowStartDts = Long.MIN_VALUE;
    private long windowBytes;
    private int windowFrames;
    private long lastKeyframeDts = Long.MIN_VALUE;

    TrackStats(TrackInfo info) {
        this.info = info;
    }

    void updateInfo(TrackInfo newInfo) {
        info = newInfo;
    }

    void record(MediaFrame frame) {
        frames++;
        bytes += frame.size();
        long timescale = info.timescale();
        long dts = frame.dts();
        if (windowStartDts == Long.MIN_VALUE || dts < windowStartDts) {
            // First frame, or the timeline went backwards (a timestamp reset): start measuring afresh.
            restartWindow(dts);
        } else if (dts - windowStartDts >= timescale) {
            double seconds = (double) (dts - windowStartDts) / timescale;
            bitrateBps = windowBytes * 8 / seconds;
            frameRate = windowFrames / seconds;
            restartWindow(dts);
        }
        windowBytes += frame.size();
        windowFrames++;
        if (frame.keyframe() && frame.type() == MediaType.VIDEO) {
            if (lastKeyframeDts != Long.MIN_VALUE && dts > lastKeyframeDts) {
                keyframeIntervalSeconds = (double) (dts - lastKeyframeDts) / timescale;
            }
            lastKeyframeDts = dts;
        }
    }

    private void restartWindow(long dts) {
        windowStartDts = dts;
        windowBytes = 0;
        windowFrames = 0;
    }

    public TrackInfo info() {
        return info;
    }

    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }

    /** Bits per second over the last full second of media time; NaN until one second has been received. */
    public double bitrateBps() {
        return bitrateBps;
    }

    /** Frames per second over the last full second of media time; NaN until measured. */
    public double frameRate() {
        return frameRate;
    }

    /** Media time between the last two video keyframes (the GOP length); NaN before the second keyframe. */
    public double keyframeIntervalSeconds() {
        return keyframeIntervalSeconds;
    }
}
