package io.estuary.packager.hls;

import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.CmafPart;
import io.estuary.packager.cmaf.PackagedTrack;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The mutable live window of one track. Touched only on the stream's executor. */
final class TrackState {

    final String name;
    PackagedTrack track;
    long session;
    final Map<String, ByteBuffer> inits = new LinkedHashMap<>();
    final ArrayDeque<Segment> completed = new ArrayDeque<>();
    /**
     * Segments gone from the playlist but still served: RFC 8216bis 6.2.2 wants a removed segment available for
     * its own duration plus that of the playlist, so a player that just read an older playlist can still fetch.
     */
    final ArrayDeque<Segment> retired = new ArrayDeque<>();
    Segment open;
    long nextMsn;
    long lastCompleteMsn = -1;
    long discontinuitySequence;
    boolean discontinuityPending;
    int targetDuration;
    int maxPartsPerSegment;
    /** MSN of this epoch's segment 0: where parts numbered by the segmenter ({@link CmafPart#segmentIndex}) go. */
    long epochBase;

    TrackState(String name, int initialTargetDuration) {
        this.name = name;
        this.targetDuration = initialTargetDuration;
    }

    /**
     * A track joining a stream whose other tracks have made segments already (a rendition added to a ladder): it
     * takes up their numbers, so that segment N of every track covers the same time.
     */
    void joinAt(long msn, long siblingDiscontinuitySequence) {
        nextMsn = msn;
        discontinuitySequence = siblingDiscontinuitySequence;
    }

    /** A new epoch: a segment still open is closed; the next segment is a discontinuity unless it is the first. */
    void start(PackagedTrack newTrack, byte[] init, long newSession) {
        if (track == null || !track.epoch().equals(newTrack.epoch())) {
            closeOpen();
            discontinuityPending = nextMsn > 0;
            epochBase = nextMsn;
        }
        track = newTrack;
        session = newSession;
        inits.put(newTrack.epoch(), Part.direct(init));
    }

    /**
     * Adds a part; returns the bytes the window grew by. A numbered part whose segment is past the open one closes
     * it (the track had no media at that segment's end), and segments the track has no media for at all are
     * listed as gaps: a track's segment N always covers the time of its siblings' segment N.
     */
    long add(CmafPart part) {
        long msn = part.segmentIndex() == CmafPart.UNNUMBERED ? -1 : epochBase + part.segmentIndex();
        if (open != null && msn > open.msn()) {
            closeOpen();
        }
        if (open == null) {
            if (msn > nextMsn) {
                addGaps(msn - nextMsn, part);
            }
            open = Segment.open(track, nextMsn++, takeDiscontinuity(), discontinuitySequence,
                    part.firstFrameWallClockMillis());
        }
        Part kept = new Part(open.parts().size(), Part.direct(part.bytes()), part.baseMediaDecodeTime(),
                part.duration(), part.sampleCount(), part.independent());
        open = open.withPart(kept);
        if (part.endsSegment()) {
            closeOpen();
        }
        return kept.size();
    }

    private boolean takeDiscontinuity() {
        boolean discontinuity = discontinuityPending;
        if (discontinuity) {
            discontinuitySequence++;
        }
        discontinuityPending = false;
        return discontinuity;
    }

    /**
     * {@code count} gap segments before {@code next}: they share the time from the end of the track's last segment
     * of this epoch, or, with none, a segment target each.
     */
    private void addGaps(long count, CmafPart next) {
        int timescale = next.track().info().timescale();
        Segment last = completed.peekLast();
        long start = last != null && last.epoch().equals(next.track().epoch())
                ? last.decodeStart() + last.durationTicks()
                : next.baseMediaDecodeTime() - count * targetDuration * (long) timescale;
        long total = Math.max(count, next.baseMediaDecodeTime() - start);
        start = next.baseMediaDecodeTime() - total;
        for (long i = 0; i < count; i++) {
            long from = start + total * i / count;
            long to = start + total * (i + 1) / count;
            long wallClock = next.firstFrameWallClockMillis()
                    - (next.baseMediaDecodeTime() - from) * 1000 / timescale;
            complete(Segment.gap(track, nextMsn++, takeDiscontinuity(), discontinuitySequence, wallClock, from,
                    to - from));
        }
    }

    /** Completes the open segment, if any. */
    void closeOpen() {
        if (open == null) {
            return;
        }
        Segment done = open.complete();
        open = null;
        complete(done);
    }

    private void complete(Segment done) {
        completed.addLast(done);
        lastCompleteMsn = done.msn();
        maxPartsPerSegment = Math.max(maxPartsPerSegment, done.parts().size());
        long ticks = done.durationTicks();
        int timescale = done.timescale();
        // RFC 8216bis 4.4.3.1: each EXTINF rounded to the nearest integer is at most the target duration.
        targetDuration = (int) Math.max(targetDuration, (ticks + timescale / 2) / timescale);
    }

    /**
     * Moves the oldest completed segment out of the playlist into the retired list, which keeps as many
     * segments as the playlist plus one; returns the bytes freed (by retired segments falling off).
     */
    long evictOldest(int windowSegments) {
        Segment gone = completed.pollFirst();
        if (gone == null) {
            return 0;
        }
        retired.addLast(gone);
        long freed = 0;
        while (retired.size() > windowSegments + 1) {
            freed += retired.pollFirst().mediaBytes();
        }
        return freed;
    }

    /** Drops the oldest retired segment (before any listed one goes); returns the bytes freed. */
    long dropOldestRetired() {
        Segment gone = retired.pollFirst();
        return gone == null ? 0 : gone.mediaBytes();
    }

    /** Forgets init segments that no segment in the window and no current epoch refers to. */
    void pruneInits() {
        Set<String> used = new HashSet<>();
        used.add(track.epoch());
        for (Segment s : completed) {
            used.add(s.epoch());
        }
        for (Segment s : retired) {
            used.add(s.epoch());
        }
        if (open != null) {
            used.add(open.epoch());
        }
        inits.keySet().retainAll(used);
    }

    List<Segment> window() {
        List<Segment> all = new ArrayList<>(completed.size() + 1);
        all.addAll(completed);
        if (open != null) {
            all.add(open);
        }
        return List.copyOf(all);
    }

    /** The last part as (msn, index), or null. */
    long[] lastPart() {
        if (open != null) {
            return new long[] {open.msn(), open.parts().size() - 1};
        }
        Segment last = completed.peekLast();
        return last == null ? null : new long[] {last.msn(), last.parts().size() - 1};
    }

    /** The part a player may request next, while the session runs and this epoch has a part. */
    TrackSnapshot.Hint hint(boolean live, long currentSession) {
        if (!live || session != currentSession) {
            return null;
        }
        if (open != null) {
            return open.epoch().equals(track.epoch())
                    ? new TrackSnapshot.Hint(track.epoch(), open.msn(), open.parts().size())
                    : null;
        }
        Segment last = completed.peekLast();
        if (last == null || !last.epoch().equals(track.epoch())) {
            return null;
        }
        return new TrackSnapshot.Hint(track.epoch(), nextMsn, 0);
    }

    int partsPerSegment(PackagerConfig config) {
        long estimate = (config.segmentTarget().toNanos() + config.partTarget().toNanos() - 1)
                / config.partTarget().toNanos();
        return (int) Math.max(estimate, maxPartsPerSegment);
    }
}
