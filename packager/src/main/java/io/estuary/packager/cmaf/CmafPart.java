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
 */
public record CmafPart(PackagedTrack track, byte[] bytes, long baseMediaDecodeTime, long presentationTime,
        long duration, int sampleCount, boolean independent, boolean endsSegment, long firstFrameWallClockMillis,
        long firstFrameReceivedNanos) {

    public double durationSeconds() {
        return (double) duration / track.info().timescale();
    }
}
