package io.estuary.packager.cmaf;

/**
 * What the segmenter tells the manifest side (LL-HLS now, DASH later). All calls come in order on the stream's
 * executor.
 */
public interface SegmenterListener {

    /**
     * A track starts a new epoch: a new publish session, or a codec change. Its parts follow; a media playlist
     * marks the first segment of a new epoch as a discontinuity. Segment boundaries of all tracks coincide at an
     * epoch change.
     */
    void onTrackStart(PackagedTrack track, byte[] initSegment);

    /** A part is complete and may be served. */
    void onPart(CmafPart part);

    /** The publish session ended; every open part and segment has been flushed before this call. */
    void onSessionEnd();
}
