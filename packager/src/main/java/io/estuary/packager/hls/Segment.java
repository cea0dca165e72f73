package io.estuary.packager.hls;

import io.estuary.packager.cmaf.PackagedTrack;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A media segment of one track as kept in the live window: its parts; once complete, the segment's bytes are
 * its parts' bytes in order (served as such, never assembled). Immutable; the open segment is replaced by a new
 * instance with every part.
 *
 * @param track                 the track and epoch the segment belongs to
 * @param discontinuity         the first segment of a new epoch (not the stream's very first segment)
 * @param discontinuitySequence the discontinuity sequence number of this segment
 * @param wallClockMillis       ingest wall clock of the first frame (PROGRAM-DATE-TIME)
 * @param closed                the last part has arrived: the segment is complete
 * @param gap                   the track has no media for this segment (a rendition that was silent while the
 *                              others went on): listed with EXT-X-GAP so that the numbers of the track's later
 *                              segments stay those of its siblings; its one part only carries its time, and it is
 *                              never served
 */
record Segment(PackagedTrack track, long msn, List<Part> parts, boolean discontinuity, long discontinuitySequence,
        long wallClockMillis, boolean closed, boolean gap) {

    static Segment open(PackagedTrack track, long msn, boolean discontinuity, long discontinuitySequence,
            long wallClockMillis) {
        return new Segment(track, msn, List.of(), discontinuity, discontinuitySequence, wallClockMillis, false,
                false);
    }

    /** A complete segment without media, from {@code decodeTime} for {@code ticks}. */
    static Segment gap(PackagedTrack track, long msn, boolean discontinuity, long discontinuitySequence,
            long wallClockMillis, long decodeTime, long ticks) {
        Part time = new Part(0, ByteBuffer.allocate(0).asReadOnlyBuffer(), decodeTime, ticks, 0, false);
        return new Segment(track, msn, List.of(time), discontinuity, discontinuitySequence, wallClockMillis, true,
                true);
    }

    Segment withPart(Part part) {
        List<Part> next = new ArrayList<>(parts.size() + 1);
        next.addAll(parts);
        next.add(part);
        return new Segment(track, msn, List.copyOf(next), discontinuity, discontinuitySequence, wallClockMillis,
                false, false);
    }

    Segment complete() {
        return new Segment(track, msn, parts, discontinuity, discontinuitySequence, wallClockMillis, true, gap);
    }

    /** The segment's bytes: its parts' buffers, in order (read-only duplicates, safe to hand out). */
    List<ByteBuffer> chunks() {
        List<ByteBuffer> all = new ArrayList<>(parts.size());
        for (Part p : parts) {
            all.add(p.data().duplicate());
        }
        return all;
    }

    boolean isComplete() {
        return closed;
    }

    String epoch() {
        return track.epoch();
    }

    int timescale() {
        return track.info().timescale();
    }

    /** Decode time of the segment's first sample (its first part's tfdt); segments of an epoch are contiguous. */
    long decodeStart() {
        return parts.get(0).decodeTime();
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

    /** Bytes of the segment: its parts'. */
    long mediaBytes() {
        long sum = 0;
        for (Part p : parts) {
            sum += p.size();
        }
        return sum;
    }

    static long ticksToNanos(long ticks, int timescale) {
        // segments last at most tens of seconds: no overflow below 2^63 / 1e9 ticks
        return ticks * 1_000_000_000L / timescale;
    }
}
