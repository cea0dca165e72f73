package io.estuary.packager.cmaf;

/**
 * One finished CMAF chunk (a {@code moof} and its {@code mdat}) of one track: an LL-HLS partial segment. The
 * segmenter emits parts in order per track; a segment is the concatenation of its parts' bytes.
 *
 * @param track                    the track and epoch this part belongs to
 * @param bytes                    moof + mdat, complete and self-contained
 * @param baseMediaDecodeTime      tfdt of the part, in the track's timescale
 * @param presentationTime         presentation time of the part's first sample (its decode time plus composition
 *                                 offset), in the track's timescale: where a segment starting here starts in DASH
 * @param duration                 sum of the part's sample durations, in the track's timescale
 * @param sampleCount              samples (frames) in the part
 * @param independent              the part starts with a sync sample (LL-HLS INDEPENDENT=YES)
 * @param endsSegment              the segment ends with this part: the next part of the track starts a new one
 * @param firstFrameWallClockMillis wall clock at ingest of the part's first frame (PROGRAM-DATE-TIME)
 * @param firstFrameReceivedNanos  {@link System#nanoTime()} at ingest of the part's first frame (latency)
 * @param segmentIndex             the part's segment, counted from the first of the track's epoch in the lead video
 *                                 track's segments: the same for the same media time on every track, even where a
 *                                 track has no media for some segments; {@value #UNNUMBERED} when unknown (then
 *                                 the previous part's {@code endsSegment} alone says where a segment starts)
 */
public record CmafPart(PackagedTrack track, byte[] bytes, long baseMediaDecodeTime, long presentationTime,
        long duration, int sampleCount, boolean independent, boolean endsSegment, long firstFrameWallClockMillis,
        long firstFrameReceivedNanos, long segmentIndex) {

    public static final long UNNUMBERED = -1;

    /** A part whose segment is known only from the parts before it ({@link #UNNUMBERED}). */
    public CmafPart(PackagedTrack track, byte[] bytes, long baseMediaDecodeTime, long presentationTime,
            long duration, int sampleCount, boolean independent, boolean endsSegment, long firstFrameWallClockMillis,
            long firstFrameReceivedNanos) {
        this(track, bytes, baseMediaDecodeTime, presentationTime, duration, sampleCount, independent, endsSegment,
                firstFrameWallClockMillis, firstFrameReceivedNanos, UNNUMBERED);
    }

    public double durationSeconds() {
        return (double) duration / track.info().timescale();
    }
}
