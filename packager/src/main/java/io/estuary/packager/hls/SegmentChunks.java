package io.estuary.packager.hls;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of delivering a segment chunk by chunk ({@link HlsStream#segmentChunks}): the parts from the one asked
 * for on, read-only duplicates of the window's buffers, and whether the segment is complete with them. A refused
 * request carries its error response instead.
 *
 * @param refusal     non-null when the segment cannot be served (then the other components are empty)
 * @param contentType {@code video/mp4} or {@code audio/mp4}
 * @param chunks      the parts {@code [fromPart, nextPart)}, possibly none when the segment just completed
 * @param nextPart    the part to ask for next
 * @param complete    the segment has all its parts: nothing more will come
 */
public record SegmentChunks(HlsResponse refusal, String contentType, List<ByteBuffer> chunks, int nextPart,
        boolean complete) {

    static SegmentChunks refused(HlsResponse refusal) {
        return new SegmentChunks(refusal, refusal.contentType(), List.of(), 0, true);
    }

    /** What a snapshot answers to a request for the segment's parts from {@code from} on; null: wait. */
    static SegmentChunks answer(StreamSnapshot s, ObjectPath p, int from) {
        TrackSnapshot t = s.tracks().get(p.track());
        if (t == null) {
            return refused(HlsResponse.notFound("no track " + p.track()));
        }
        Segment segment = t.listedOrRetired(p.msn());
        if (segment != null && !segment.gap() && segment.epoch().equals(p.epoch())) {
            int have = segment.parts().size();
            if (have <= from && !segment.isComplete()) {
                return null;
            }
            List<ByteBuffer> chunks = new ArrayList<>(Math.max(0, have - from));
            for (int i = from; i < have; i++) {
                chunks.add(segment.parts().get(i).data().duplicate());
            }
            return new SegmentChunks(null, t.contentType(), List.copyOf(chunks), Math.max(from, have),
                    segment.isComplete());
        }
        TrackSnapshot.Hint hint = t.hint;
        if (from == 0 && hint != null && hint.part() == 0 && hint.msn() == p.msn() && hint.epoch().equals(p.epoch())) {
            return null; // the next segment: it begins with the next part
        }
        return refused(t.missing(p)); // a segment being streamed (from > 0) is never ahead: it existed
    }

    public boolean refused() {
        return refusal != null;
    }
}
