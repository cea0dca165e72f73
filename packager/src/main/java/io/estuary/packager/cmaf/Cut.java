package io.estuary.packager.cmaf;

/**
 * Where the lead video track ended a part. Every other track ends its part of the same number at the same media
 * time, so that part N and segment N of all tracks cover the same time and a player can switch between them.
 *
 * @param leadTime     decode time, in the lead's timescale, of the lead's first sample after the cut: a following
 *                     track's part holds its samples before this time
 * @param endsSegment  the part ends its segment
 * @param segmentIndex the segment the ended part belongs to, counted from the epoch's first; following tracks copy
 *                     it so that a segment they have no media for does not shift the numbers of the next ones
 */
record Cut(long leadTime, boolean endsSegment, long segmentIndex) {

    /** The lead's first keyframe: the start of segment 0, as if a segment -1 had ended there. */
    static Cut leadStart(long leadTime) {
        return new Cut(leadTime, true, -1);
    }
}
