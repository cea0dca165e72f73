package io.estuary.packager.hls;

import io.estuary.media.frame.MediaType;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.PackagedTrack;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of one track's live window, published by the stream's executor and read by HTTP handlers.
 * The full media playlist is rendered once when the snapshot is made; delta updates on first use.
 */
final class TrackSnapshot {

    /** The next part, announced by EXT-X-PRELOAD-HINT. */
    record Hint(String epoch, long msn, int part) {
    }

    /** What an EXT-X-RENDITION-REPORT says about a sibling track. */
    record RenditionReport(String name, long lastMsn, int lastPart) {
    }

    final String name;
    final PackagedTrack track;
    /** Completed segments, oldest first, then the open segment (when it has a part). Consecutive MSNs. */
    final List<Segment> segments;
    /** Segments no longer listed but still served (RFC 8216bis 6.2.2), oldest first. */
    final List<Segment> retired;
    final Map<String, ByteBuffer> inits;
    /** MSN of the last completed segment, -1 before the first; kept even when the segment is evicted. */
    final long lastCompleteMsn;
    final int targetDuration;
    final Hint hint;
    final List<RenditionReport> reports;
    /** The track started in the stream's latest publish session. */
    final boolean current;
    final int partsPerSegment;
    final PackagerConfig config;
    final RenderedText fullPlaylist;
    private volatile RenderedText skipYes;
    private volatile RenderedText skipV2;

    TrackSnapshot(String name, PackagedTrack track, List<Segment> segments, List<Segment> retired,
            Map<String, ByteBuffer> inits,
            long lastCompleteMsn, int targetDuration, Hint hint, List<RenditionReport> reports, boolean current,
            int partsPerSegment, PackagerConfig config) {
        this.name = name;
        this.track = track;
        this.segments = segments;
        this.retired = retired;
        this.inits = inits;
        this.lastCompleteMsn = lastCompleteMsn;
        this.targetDuration = targetDuration;
        this.hint = hint;
        this.reports = reports;
        this.current = current;
        this.partsPerSegment = partsPerSegment;
        this.config = config;
        this.fullPlaylist = hasParts() ? new RenderedText(MediaPlaylistWriter.write(this, SkipMode.NONE)) : null;
    }

    boolean hasParts() {
        return !segments.isEmpty();
    }

    String contentType() {
        return track.info().type() == MediaType.VIDEO ? HlsResponse.VIDEO_MP4 : HlsResponse.AUDIO_MP4;
    }

    /** The playlist; null while the track has no part. Delta updates are rendered once, on first use. */
    RenderedText playlist(SkipMode mode) {
        if (fullPlaylist == null) {
            return null;
        }
        switch (mode) {
            case YES -> {
                RenderedText s = skipYes;
                if (s == null) {
                    s = new RenderedText(MediaPlaylistWriter.write(this, SkipMode.YES));
                    skipYes = s;
                }
                return s;
            }
            case V2 -> {
                RenderedText s = skipV2;
                if (s == null) {
                    s = new RenderedText(MediaPlaylistWriter.write(this, SkipMode.V2));
                    skipV2 = s;
                }
                return s;
            }
            default -> {
                return fullPlaylist;
            }
        }
    }

    Segment segment(long msn) {
        if (segments.isEmpty()) {
            return null;
        }
        long index = msn - segments.get(0).msn();
        return index < 0 || index >= segments.size() ? null : segments.get((int) index);
    }

    Segment openSegment() {
        if (segments.isEmpty()) {
            return null;
        }
        Segment last = segments.get(segments.size() - 1);
        return last.isComplete() ? null : last;
    }

    /** The last part of the playlist as (msn, part index), or null. */
    long[] lastPart() {
        if (segments.isEmpty()) {
            return null;
        }
        Segment last = segments.get(segments.size() - 1);
        return new long[] {last.msn(), last.parts().size() - 1};
    }

    /**
     * Does the playlist satisfy a blocking request (RFC 8216bis 6.2.5.2)? Without a part: segment {@code msn} is
     * complete. With one: part {@code part} of segment {@code msn} or a later part is listed; a part index beyond
     * the last part of a completed segment stands for part 0 of the next segment.
     */
    boolean satisfies(Long msn, Long part) {
        if (!hasParts()) {
            return false;
        }
        if (msn == null) {
            return true;
        }
        long m = msn;
        if (part == null) {
            return lastCompleteMsn >= m;
        }
        if (lastCompleteMsn >= m) {
            Segment s = segment(m);
            if (s == null || part < s.parts().size()) {
                return true; // evicted (long gone) or listed
            }
            Segment next = segment(m + 1);
            return next != null; // part 0 of the next segment is listed
        }
        Segment open = openSegment();
        return open != null && open.msn() == m && open.parts().size() > part;
    }

    /**
     * Null when the request may wait; otherwise why it is refused at once: an MSN more than two beyond the last
     * segment, or a part more than the Advance Part Limit beyond the last part (RFC 8216bis 6.2.5.2).
     */
    String tooFarAhead(long msn, Long part) {
        if (msn > lastCompleteMsn + 2) {
            return "_HLS_msn=" + msn + " is more than two segments beyond the last segment (" + lastCompleteMsn + ")";
        }
        long[] last = lastPart();
        if (part == null || last == null) {
            return null;
        }
        long lastMsn = last[0];
        long lastIndex = last[1];
        if (segments.get(segments.size() - 1).isComplete()) {
            lastMsn++;
            lastIndex = -1;
        }
        if (msn < lastMsn || msn == lastMsn && part <= lastIndex) {
            return null;
        }
        long ahead = msn == lastMsn
                ? part - lastIndex
                : Math.max(0, partsPerSegment - 1 - lastIndex) + (msn - lastMsn - 1) * partsPerSegment + part + 1;
        double partTarget = config.partTarget().toNanos() / 1e9;
        long limit = partTarget < 1 ? (long) Math.floor(3 / partTarget) : 3;
        if (ahead > limit) {
            return "_HLS_part=" + part + " of _HLS_msn=" + msn + " is " + ahead
                    + " parts beyond the last part; the Advance Part Limit is " + limit;
        }
        return null;
    }

    /** The bytes of a media object of this track, or null when it is not (or no longer) in the window. */
    List<ByteBuffer> object(ObjectPath path) {
        return switch (path.kind()) {
            case INIT -> {
                ByteBuffer init = inits.get(path.epoch());
                yield init == null ? null : List.of(init.duplicate());
            }
            case SEGMENT -> {
                Segment s = listedOrRetired(path.msn());
                yield s != null && s.isComplete() && !s.gap() && s.epoch().equals(path.epoch()) ? s.chunks() : null;
            }
            case PART -> {
                Segment s = listedOrRetired(path.msn());
                yield s != null && !s.gap() && s.epoch().equals(path.epoch()) && path.part() < s.parts().size()
                        ? List.of(s.parts().get(path.part()).data().duplicate())
                        : null;
            }
        };
    }

    Segment listedOrRetired(long msn) {
        Segment listed = segment(msn);
        if (listed != null || retired.isEmpty()) {
            return listed;
        }
        long index = msn - retired.get(0).msn();
        return index < 0 || index >= retired.size() ? null : retired.get((int) index);
    }

    /**
     * Whether a missing object of the current epoch lies just beyond the last part made (at most two segments, as
     * far as a player asks ahead): it may exist a moment later, so its 404 must not be cached.
     */
    private boolean isAhead(ObjectPath path) {
        long[] last = lastPart();
        if (hint == null || !hint.epoch().equals(path.epoch()) || last == null || path.msn() > last[0] + 2) {
            return false;
        }
        boolean lastOpen = !segments.get(segments.size() - 1).isComplete();
        return path.msn() > last[0] || lastOpen && path.msn() == last[0] && path.kind() == ObjectPath.Kind.PART
                && path.part() > last[1];
    }

    /** The 404 for an object of this track that is not in the window: never cached when it is just ahead. */
    HlsResponse missing(ObjectPath path) {
        return isAhead(path) ? HlsResponse.notYet("not available yet") : HlsResponse.notFound("not in the live window");
    }

    boolean isHinted(ObjectPath path) {
        return hint != null && path.kind() == ObjectPath.Kind.PART && hint.epoch().equals(path.epoch())
                && hint.msn() == path.msn() && hint.part() == path.part();
    }
}
