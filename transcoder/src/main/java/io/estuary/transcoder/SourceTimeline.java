package io.estuary.transcoder;

import io.estuary.media.frame.MediaFrame;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives each decoded picture the timing of the source frame it came from, so that every rendition can carry the
 * source's timestamps. A picture's presentation time is the source frame's; its decode time is the source's
 * decode time at the same position in output order (the oldest decode time not yet handed out). Renditions have
 * no B-frames, so that decode time is never after the picture's presentation time, and a source keyframe's
 * rendition frames get exactly the source keyframe's decode time: for one MSN, every rendition's segment starts
 * at the same tfdt as the source's.
 *
 * <p>Bounded: a decoder that swallows pictures (corrupt input) leaves stale entries, which the next keyframe
 * clears and a cap of {@value #MAX_PENDING} evicts.
 */
final class SourceTimeline {

    static final int MAX_PENDING = 128;

    /** A picture's timing and provenance: what every rendition frame made from it carries. */
    record Stamp(long pts, long dts, boolean sourceKeyframe, long wallClockMillis, long receivedNanos) {
    }

    private record Sent(long dts, boolean keyframe, long wallClockMillis, long receivedNanos) {
    }

    private final ArrayDeque<Long> decodeTimes = new ArrayDeque<>();
    private final Map<Long, Sent> byPts = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Sent> eldest) {
            return size() > MAX_PENDING;
        }
    };

    /** A source frame goes into the decoder. */
    void sent(MediaFrame frame) {
        if (decodeTimes.size() >= MAX_PENDING) {
            decodeTimes.poll();
        }
        decodeTimes.add(frame.dts());
        byPts.put(frame.pts(), new Sent(frame.dts(), frame.keyframe(), frame.wallClockMillis(),
                frame.receivedNanos()));
    }

    /** The decoder put out the picture of presentation time {@code pts}. */
    Stamp decoded(long pts) {
        Sent source = byPts.remove(pts);
        if (source != null && source.keyframe()) {
            // A keyframe is first in decode order of its GOP: anything older is a picture the decoder swallowed.
            while (!decodeTimes.isEmpty() && decodeTimes.peek() < source.dts()) {
                decodeTimes.poll();
            }
        }
        Long head = decodeTimes.poll();
        long dts = head == null ? pts : Math.min(head, pts);
        if (source == null) {
            return new Stamp(pts, dts, false, System.currentTimeMillis(), System.nanoTime());
        }
        return new Stamp(pts, dts, source.keyframe(), source.wallClockMillis(), source.receivedNanos());
    }

    void clear() {
        decodeTimes.clear();
        byPts.clear();
    }
}
