package io.estuary.packager.cmaf;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.drm.SampleEncryptor;
import java.time.Duration;

/** The per-track state of a {@link Segmenter} within one epoch: the open part and the timing checks. */
final class SegmenterTrack {

    static final long UNSET = Long.MIN_VALUE;

    final PackagedTrack packaged;
    final TrackInfo info;
    /** Encrypts this track's samples when the track is protected, else {@code null}; IVs run on across parts. */
    private final SampleEncryptor encryptor;
    private long nextSequence;
    private long lastDts = UNSET;
    /** Decode time of the first sample of the open segment, or {@link #UNSET} between segments. */
    long segmentStart = UNSET;
    /** Duration of the last sample given to a part: the guess for a final sample whose successor never came. */
    long lastDuration;
    /** Presentation time of the last sample given to a part, or {@link #UNSET}. */
    long lastAssignedPts = UNSET;
    PartBuilder part;
    long dropped;
    /**
     * The segment the open (or next) part belongs to, counted from the epoch's first in the lead's segments. The
     * lead counts its own; a following track copies the lead's from each cut.
     */
    long segmentIndex;

    SegmenterTrack(PackagedTrack packaged, long firstSequence) {
        this.packaged = packaged;
        this.info = packaged.info();
        this.nextSequence = firstSequence;
        this.encryptor = packaged.protection() == null ? null
                : SampleEncryptor.forTrack(packaged.protection(), info.config());
    }

    long nextSequence() {
        return nextSequence;
    }

    /** Whether a frame's decode time moves forward; a frame that repeats or goes back must be dropped. */
    boolean advances(MediaFrame frame) {
        if (frame.dts() < 0 || (lastDts != UNSET && frame.dts() <= lastDts)) {
            return false;
        }
        lastDts = frame.dts();
        return true;
    }

    long ticks(Duration d) {
        return d.toNanos() / 1000 * info.timescale() / 1_000_000;
    }

    /** Adds a sample to the open part, opening one (and a segment) if needed. */
    void add(MediaFrame frame, long duration) {
        if (part == null) {
            part = new PartBuilder(frame);
            if (segmentStart == UNSET) {
                segmentStart = frame.dts();
            }
        }
        part.add(frame, duration);
        lastDuration = duration;
        lastAssignedPts = frame.pts();
    }

    boolean wouldOverflow(MediaFrame frame, int maxSamples, long maxBytes) {
        return part != null && (part.sampleCount() >= maxSamples || part.bytes() + frame.size() > maxBytes);
    }

    /** Whether a segment has begun and not ended: a part of it was cut or is open. */
    boolean inSegment() {
        return segmentStart != UNSET;
    }

    /**
     * Closes the open part, if any, and returns it; {@code null} when no part was open. Ending a segment that had
     * a part moves {@link #segmentIndex} on.
     */
    CmafPart cut(boolean endsSegment) {
        CmafPart done = part == null ? null
                : part.build(packaged, nextSequence++, endsSegment, segmentIndex, encryptor);
        part = null;
        if (endsSegment && segmentStart != UNSET) {
            segmentStart = UNSET;
            segmentIndex++;
        }
        return done;
    }
}
