package io.estuary.packager.dash;

import io.estuary.media.frame.MediaType;
import io.estuary.packager.drm.StreamProtection;
import java.util.List;

/**
 * What a live MPD says, as plain values: the packager builds it from its live window, {@link MpdWriter} turns it
 * into XML. Times are wall-clock milliseconds (UTC) or ticks of a representation's timescale.
 *
 * @param availabilityStartMillis  MPD@availabilityStartTime: the anchor of every Period of the stream
 * @param publishMillis            MPD@publishTime: when this content was first published
 * @param timeShiftBufferMillis    MPD@timeShiftBufferDepth: the media the window holds
 * @param maxSegmentMillis         MPD@maxSegmentDuration
 * @param availabilityTimeOffset   seconds a segment is available before it is complete: its first chunk is ready
 *                                 one part after it starts (DASH-IF low-latency)
 * @param periods                  oldest first
 */
public record Mpd(long availabilityStartMillis, long publishMillis, long timeShiftBufferMillis,
        long maxSegmentMillis, double availabilityTimeOffset, List<Period> periods) {

    public Mpd {
        periods = List.copyOf(periods);
    }

    /** The same MPD published at another time: the content did not change. */
    public Mpd withPublishMillis(long millis) {
        return new Mpd(availabilityStartMillis, millis, timeShiftBufferMillis, maxSegmentMillis,
                availabilityTimeOffset, periods);
    }

    /**
     * One publish session (or one codec configuration of it): its media URLs share an epoch.
     *
     * @param startMillis      Period@start, relative to availabilityStartTime
     * @param representations  video first, then audio
     */
    public record Period(String id, long startMillis, List<Representation> representations) {

        public Period {
            representations = List.copyOf(representations);
        }
    }

    /**
     * One packaged track. {@code media} and {@code initialization} are relative to the MPD, the very URLs the HLS
     * playlists list ({@code $Number$} is the media sequence number).
     *
     * @param presentationTimeOffset  the Period's start in this timescale
     * @param frameRate               frames per second, 0 when unknown (video)
     * @param startNumber             the number of the first timeline entry
     * @param timeline                one entry per segment, consecutive numbers; the last may be the segment
     *                                being produced, with its expected duration
     * @param protection              how the Period's segments of this track are encrypted, or {@code null}
     */
    public record Representation(String id, MediaType type, String codecs, long bandwidth, int width, int height,
            double frameRate, int sampleRate, int channels, int timescale, long presentationTimeOffset,
            String initialization, String media, long startNumber, List<Entry> timeline,
            StreamProtection protection) {

        public Representation {
            timeline = List.copyOf(timeline);
        }

        public String mimeType() {
            return type == MediaType.VIDEO ? "video/mp4" : "audio/mp4";
        }
    }

    /** A segment's start and duration, in the representation's timescale. */
    public record Entry(long start, long duration) {
    }
}
