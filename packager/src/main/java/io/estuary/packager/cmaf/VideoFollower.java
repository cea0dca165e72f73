package io.estuary.packager.cmaf;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.VideoCodecConfig;
import io.estuary.packager.PackagerConfig;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video track of a {@link Segmenter} other than the lead: another rendition of the same picture, with keyframes
 * at the same times and the same decode time for the frames of the same instant. It is cut where the lead is cut
 * (its part N holds its samples whose dts is before the end of lead part N), so that part N and segment N of every
 * rendition cover the same time and a player can switch between them at any segment.
 *
 * <p>Renditions come from a transcoder, one encoder each, so their frames arrive in any order relative to the
 * lead's: a rendition may run ahead (its frames wait in a queue until the lead cuts) or lag (the lead's cuts wait,
 * in a bounded queue, until its frames pass them), and neither ever holds back the lead or another rendition.
 *
 * <p>A rendition starts, and starts again after losing track, only at a keyframe that falls on one of the lead's
 * segment boundaries, so that every segment it makes is numbered as the lead's of the same time. Once following,
 * it ends its segments where the lead does even when its own keyframe is missing there (a transcoder shedding
 * load skips frames): a segment without a keyframe is counted, but segments never drift apart. A rendition silent
 * for twice the segment target while the lead goes on gives out what it has and waits for the next boundary.
 */
final class VideoFollower {

    private static final Logger log = LoggerFactory.getLogger(VideoFollower.class);

    final SegmenterTrack track;
    private final SegmenterListener listener;
    private final int leadTimescale;
    /** Lead ticks of lead progress past this rendition's newest frame after which it counts as silent. */
    private final long silenceLimit;
    /** This track's ticks its queue may span: more means the lead has stalled, and waiting is of no use. */
    private final long queueLimit;

    /** Frames received but not yet given to a part: before the next cut, or waiting to start a segment. */
    private final ArrayDeque<MediaFrame> queue = new ArrayDeque<>();
    private long queueBytes;
    /** Lead cuts not yet applied: this rendition's frames have not passed them. */
    private final ArrayDeque<Cut> cuts = new ArrayDeque<>();
    /** False while waiting for a keyframe on a lead segment boundary to (re)start at. */
    private boolean following;
    private long newestDts = SegmenterTrack.UNSET;
    long segmentsWithoutKeyframe;
    long resyncs;

    VideoFollower(SegmenterTrack track, PackagerConfig config, SegmenterListener listener, SegmenterTrack lead) {
        this.track = track;
        this.listener = listener;
        this.leadTimescale = lead.info.timescale();
        this.silenceLimit = 2 * lead.ticks(config.segmentTarget());
        this.queueLimit = 2 * track.ticks(config.segmentTarget());
    }

    /** Lead cuts waiting for this rendition: bounded by {@link Segmenter#MAX_PENDING_CUTS}. */
    int pendingCuts() {
        return cuts.size();
    }

    int queuedFrames() {
        return queue.size();
    }

    void onFrame(MediaFrame frame) {
        if (!track.advances(frame)) {
            Segmenter.dropNonAdvancing(track, frame);
            return;
        }
        newestDts = frame.dts();
        if (!following && queue.isEmpty() && !frame.keyframe()) {
            track.dropped++; // nothing to start a segment with
            return;
        }
        queue.add(frame);
        queueBytes += frame.size();
        if (queueTooLong()) {
            dropQueueHead();
        }
        advance();
    }

    /** The lead cut a part. */
    void onCut(Cut cut) {
        cuts.add(cut);
        if (following && (cuts.size() > Segmenter.MAX_PENDING_CUTS || silentAt(cut))) {
            log.info("{}/{}: no frames for {} lead ticks while the lead goes on; its pending cuts are dropped and it "
                    + "starts again at the next segment boundary with a keyframe", track.packaged.name(),
                    track.packaged.epoch(), silenceLimit);
            giveOutAndResync();
        }
        while (cuts.size() > Segmenter.MAX_PENDING_CUTS) {
            cuts.poll(); // not following: only boundaries after the oldest queued keyframe can serve
        }
        advance();
    }

    /**
     * Ends the open segment with the lead's last cut: at a codec change and at the session's end. Frames beyond
     * the lead's end are dropped: a segment the lead does not have would shift the numbers of the next epoch.
     */
    void flush() {
        if (following) {
            applyCuts(true);
        }
        track.dropped += queue.size();
        queue.clear();
        queueBytes = 0;
        cuts.clear();
        track.cut(true);
        following = false;
    }

    private void advance() {
        if (!following) {
            sync();
        }
        if (following) {
            applyCuts(false);
        }
    }

    /**
     * Looks for a keyframe at a lead segment boundary: the queue's head keyframe is matched with the lead's first
     * cut at or after it. A keyframe the lead passed without a segment boundary there cannot start a segment.
     */
    private void sync() {
        while (true) {
            while (!queue.isEmpty() && !queue.peek().keyframe()) {
                dequeue();
                track.dropped++;
            }
            MediaFrame key = queue.peek();
            if (key == null) {
                return;
            }
            while (!cuts.isEmpty() && leadBefore(cuts.peek().leadTime(), key.dts())) {
                cuts.poll(); // a cut before this keyframe: of no use to start at it
            }
            Cut cut = cuts.peek();
            if (cut == null) {
                return; // the lead has not reached this keyframe yet
            }
            if (cut.endsSegment() && sameTime(key.dts(), cut.leadTime())) {
                cuts.poll();
                following = true;
                track.segmentIndex = cut.segmentIndex() + 1;
                if (resyncs > 0) {
                    log.info("{}/{}: follows the lead again from segment {}", track.packaged.name(),
                            track.packaged.epoch(), track.segmentIndex);
                }
                return;
            }
            dequeue();
            track.dropped++;
        }
    }

    /** Gives frames to parts for every cut this rendition has passed (all of them when {@code force}). */
    private void applyCuts(boolean force) {
        while (!cuts.isEmpty()) {
            Cut cut = cuts.peek();
            MediaFrame newest = queue.peekLast();
            if (!force && (newest == null || before(newest.dts(), cut.leadTime()))) {
                return; // this rendition has not passed the cut yet
            }
            cuts.poll();
            track.segmentIndex = cut.segmentIndex();
            while (!queue.isEmpty() && before(queue.peek().dts(), cut.leadTime())) {
                add(dequeue(), cut);
            }
            emit(cut.endsSegment());
        }
    }

    /** After a silence: what the queue holds goes out with the cuts it precedes; the cuts after it are dropped. */
    private void giveOutAndResync() {
        while (!cuts.isEmpty() && !queue.isEmpty()) {
            Cut cut = cuts.poll();
            track.segmentIndex = cut.segmentIndex();
            while (!queue.isEmpty() && before(queue.peek().dts(), cut.leadTime())) {
                add(dequeue(), cut);
            }
            emit(cut.endsSegment());
        }
        cuts.clear();
        // Its segment, if still open, ends here; the next part it makes is numbered past it.
        emit(true);
        following = false;
        resyncs++;
    }

    /**
     * Adds a frame to the open part. Its duration runs to the next frame's dts; without one, to the cut: the part
     * then ends where the lead's does.
     */
    private void add(MediaFrame frame, Cut cut) {
        MediaFrame next = queue.peek();
        long duration = next != null ? next.dts() - frame.dts() : toOwnTicks(cut.leadTime()) - frame.dts();
        if (duration <= 0) {
            duration = track.lastDuration > 0 ? track.lastDuration : defaultDuration();
        }
        if (!track.inSegment() && !frame.keyframe() && segmentsWithoutKeyframe++ == 0) {
            log.warn("{}/{}: a segment starts without a keyframe (the rendition's keyframe at the lead's segment "
                    + "boundary is missing); it is cut with the lead's all the same (further ones counted)",
                    track.packaged.name(), track.packaged.epoch());
        }
        if (track.wouldOverflow(frame, Segmenter.MAX_SAMPLES_PER_PART, Segmenter.MAX_BYTES_PER_PART)) {
            emit(false);
        }
        track.add(frame, duration);
    }

    private void emit(boolean endsSegment) {
        CmafPart part = track.cut(endsSegment);
        if (part != null) {
            listener.onPart(part);
        }
    }

    private boolean silentAt(Cut cut) {
        return newestDts == SegmenterTrack.UNSET
                || cut.leadTime() - Math.floorDiv(newestDts * leadTimescale, track.info.timescale()) > silenceLimit;
    }

    private boolean queueTooLong() {
        return queue.size() > 1 && (queue.peekLast().dts() - queue.peekFirst().dts() > queueLimit
                || queue.size() > Segmenter.MAX_SAMPLES_PER_PART || queueBytes > Segmenter.MAX_BYTES_PER_PART);
    }

    /** The lead has stalled: the oldest frames go, and this rendition starts again at a boundary. */
    private void dropQueueHead() {
        while (queueTooLong()) {
            dequeue();
            track.dropped++;
        }
        if (following) {
            log.info("{}/{}: the lead is {} ticks behind; frames dropped, starting again at a segment boundary",
                    track.packaged.name(), track.packaged.epoch(), queueLimit);
            cuts.clear();
            emit(true);
            following = false;
            resyncs++;
        }
    }

    private MediaFrame dequeue() {
        MediaFrame frame = queue.poll();
        queueBytes -= frame.size();
        return frame;
    }

    /** Whether a time of this track is before a lead time, compared exactly across the two timescales. */
    private boolean before(long ownTime, long leadTime) {
        return Math.multiplyExact(ownTime, (long) leadTimescale)
                < Math.multiplyExact(leadTime, (long) track.info.timescale());
    }

    private boolean leadBefore(long leadTime, long ownTime) {
        return Math.multiplyExact(leadTime, (long) track.info.timescale())
                < Math.multiplyExact(ownTime, (long) leadTimescale);
    }

    private boolean sameTime(long ownTime, long leadTime) {
        return Math.multiplyExact(ownTime, (long) leadTimescale)
                == Math.multiplyExact(leadTime, (long) track.info.timescale());
    }

    private long toOwnTicks(long leadTime) {
        return Math.floorDiv(leadTime * track.info.timescale(), leadTimescale);
    }

    private long defaultDuration() {
        double fps = ((VideoCodecConfig) track.info.config()).frameRate();
        return fps > 0 ? Math.round(track.info.timescale() / fps) : track.info.timescale() / 30;
    }
}
