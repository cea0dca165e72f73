package io.estuary.packager.hls;

import io.estuary.packager.cmaf.PackagedTrack;
import java.util.ArrayList;
import java.util.List;

/**
 * A media segment of one track as kept in the live window: its parts, and once complete its bytes (the
 * concatenation of the parts). Immutable; the open segment is replaced by a new instance with every part.
 *
 * @param track                 the track and epoch the segment belongs to
 * @param discontinuity         the first segment of a new epoch (not the stream's very first segment)
 * @param discontinuitySequence the discontinuity sequence number of this segment
 * @param wallClockMillis       ingest wall clock of the first frame (PROGRAM-DATE-TIME)
 * @param bytes                 null while the segment is open
 */
record Segment(PackagedTrack track, long msn, List<Part> parts, boolean discontinuity, long discontinuitySequence,
        long wallClockMillis, byte[] bytes) {

    static Segment open(PackagedTrack track, long msn, boolean discontinuity, long discontinuitySequence,
            long wallClockMillis) {
        return new Segment(track, msn, List.of(), discontinuity, discontinuitySequence, wallClockMillis, null);
    }

    Segment withPart(Part part) {
        List<Part> next = new ArrayList<>(parts.size() + 1);
        next.addAll(parts);
        next.add(part);
        return new Segment(track, msn, List.copyOf(next), discontinuity, discontinuitySequence, wallClockMillis,
                null);
    }

    Segment complete() {
        int size = 0;
        for (Part p : parts) {
            size += p.bytes().length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (Part p : parts) {
            System.arraycopy(p.bytes(), 0, all, at, p.bytes().length);
            at += p.bytes().length;
        }
        return new Segment(track, msn, parts, discontinuity, discontinuitySequence, wallClockMillis, all);
    }

    boolean isComplete() {
        return bytes != null;
    }

    String epoch() {
        return track.epoch();
    }

    int timescale() {
        return track.info().timescale();
    }

    long durationTicks() {
        long sum = 0;
        for (Part p : parts) {
            sum += p.durationTicks();
        }
        return sum;
    }

    long durationNanos() {
        return ticksToNanos(durationTicks(), timescale());
    }

    /** Bytes of the media (the parts); the assembled segment holds as many again once complete. */
    long mediaBytes() {
        long sum = 0;
        for (Part p : parts) {
            sum += p.bytes().length;
        }
        return sum;
    }

    /** Bytes this segment holds in memory: its parts, plus the assembled segment once complete. */
    long heldBytes() {
        return mediaBytes() + (bytes == null ? 0 : bytes.length);
    }

    static long ticksToNanos(long ticks, int timescale) {
        // segments last at most tens of seconds: no overflow below 2^63 / 1e9 ticks
        return ticks * 1_000_000_000L / timescale;
    }
}
