package io.estuary.packager.cmaf;

import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.PackagerConfig;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio track of a {@link Segmenter}: cut at the same media times as the lead video track (audio part N holds
 * the audio samples whose pts is before the end of lead part N), so that part N and segment N of both tracks cover
 * the same time. Audio that arrives before the lead has made the cut waits in a queue; cuts the audio has not
 * reached yet wait in another, bounded one.
 *
 * <p>Without a lead, or when the lead has been silent for twice the segment target while audio goes on, audio cuts
 * itself at the targets, and follows the lead's cuts again once they pass it.
 */
final class AudioFollower {

    private static final Logger log = LoggerFactory.getLogger(AudioFollower.class);

    final SegmenterTrack audio;
    private final PackagerConfig config;
    private final SegmenterListener listener;
    /** The lead video track, or {@code null} in an audio-only stream. */
    private final TrackInfo lead;
    private final String leadEpoch;

    /** Audio received but not yet given to a part. */
    private final ArrayDeque<MediaFrame> queue = new ArrayDeque<>();
    private long queueBytes;
    /** Ends of lead parts not yet applied to audio. */
    private final ArrayDeque<Cut> cuts = new ArrayDeque<>();
    private boolean cutsItself;
    private boolean started;
    private long leadStart = SegmenterTrack.UNSET;

    AudioFollower(SegmenterTrack audio, PackagerConfig config, SegmenterListener listener, SegmenterTrack lead) {
        this.audio = audio;
        this.config = config;
        this.listener = listener;
        this.lead = lead == null ? null : lead.info;
        this.leadEpoch = lead == null ? null : lead.packaged.epoch();
        this.cutsItself = lead == null;
    }

    /** The longest an audio frame lasts in the lead's ticks: the lead's parts leave room for it. */
    long frameInLeadTicks() {
        AudioCodecConfig a = (AudioCodecConfig) audio.info.config();
        return ceilDiv((long) a.samplesPerFrame() * lead.timescale(), audio.info.timescale());
    }

    void onFrame(MediaFrame frame) {
        if (!audio.advances(frame)) {
            Segmenter.dropNonAdvancing(audio, frame);
            return;
        }
        if (!started && !cutsItself && leadStart != SegmenterTrack.UNSET && before(frame.pts(), leadStart)) {
            audio.dropped++; // before the first video frame: the tracks start together
            return;
        }
        queue.add(frame);
        queueBytes += frame.size();
        if (cutsItself) {
            cutByItself(false);
        } else {
            applyCuts(false);
            if (!cutsItself && queueTooLong()) {
                log.warn("No video on {} for {} while audio goes on: cutting audio by itself",
                        leadEpoch, config.segmentTarget().multipliedBy(2));
                cutsItself = true;
                cutByItself(false);
            }
        }
    }

    /** Audio before the lead's first keyframe of an epoch is dropped, so both tracks start together. */
    void startAt(long leadDts) {
        leadStart = leadDts;
        while (!started && !cutsItself && !queue.isEmpty() && before(queue.peek().pts(), leadDts)) {
            dequeue();
            audio.dropped++;
        }
    }

    /** The lead cut a part; within a flush, the last cut takes all remaining audio, so audio ends with video. */
    void onCut(Cut cut, boolean flushing) {
        if (cuts.size() >= Segmenter.MAX_PENDING_CUTS) {
            cuts.poll(); // audio has stopped coming: older cuts are of no use
        }
        cuts.add(cut);
        applyCuts(flushing);
    }

    /** Ends every open part and segment: at a codec change and at the session's end. */
    void flush() {
        if (cutsItself) {
            cutByItself(true);
        } else {
            applyCuts(true);
            while (!queue.isEmpty()) {
                add(dequeue());
            }
        }
        emit(true);
        queue.clear();
        queueBytes = 0;
        cuts.clear();
    }

    private boolean queueTooLong() {
        if (queue.size() < 2) {
            return false;
        }
        long span = queue.peekLast().dts() - queue.peekFirst().dts();
        return span > 2 * audio.ticks(config.segmentTarget()) || queue.size() > Segmenter.MAX_SAMPLES_PER_PART
                || queueBytes > Segmenter.MAX_BYTES_PER_PART;
    }

    /** Gives audio to parts for every lead cut the audio has passed (all of them when {@code force}). */
    private void applyCuts(boolean force) {
        while (!cuts.isEmpty()) {
            Cut cut = cuts.peek();
            if (cutsItself) {
                if (audio.lastAssignedPts != SegmenterTrack.UNSET && !before(audio.lastAssignedPts, cut.leadTime())) {
                    cuts.poll(); // audio cut by itself past this point already
                    continue;
                }
                log.info("Video is back on {}: audio follows its cuts again", leadEpoch);
                cutsItself = false;
            }
            MediaFrame newest = queue.peekLast();
            if (!force && (newest == null || before(newest.pts(), cut.leadTime()))) {
                return; // the audio has not passed this cut yet
            }
            cuts.poll();
            boolean last = force && cuts.isEmpty();
            while (!queue.isEmpty() && (last || before(queue.peek().pts(), cut.leadTime()))) {
                add(dequeue());
            }
            // Never back: after cutting by itself audio may have counted more segments than the lead.
            audio.segmentIndex = Math.max(audio.segmentIndex, cut.segmentIndex());
            emit(cut.endsSegment());
        }
    }

    /** Audio-only cutting: parts up to part-target, a segment ends when another part would pass its target. */
    private void cutByItself(boolean flush) {
        while (queue.size() >= (flush ? 1 : 2)) {
            long duration = add(dequeue());
            if (audio.part.duration() + duration > audio.ticks(config.partTarget())) {
                emitByItself(); // the next frame would not fit: cut now rather than a frame later
            }
        }
    }

    private void emitByItself() {
        long segmentSoFar = audio.lastAssignedPts + audio.lastDuration - audio.segmentStart;
        emit(segmentSoFar + audio.part.duration() > audio.ticks(config.segmentTarget()));
    }

    /** Moves a frame from the queue into the open audio part; its duration is known from its successor. */
    private long add(MediaFrame frame) {
        MediaFrame next = queue.peek();
        long duration = next != null ? next.dts() - frame.dts()
                : ((AudioCodecConfig) audio.info.config()).samplesPerFrame();
        if (cutsItself && audio.part != null && audio.part.duration() + duration > audio.ticks(config.partTarget())) {
            emitByItself();
        }
        if (audio.wouldOverflow(frame, Segmenter.MAX_SAMPLES_PER_PART, Segmenter.MAX_BYTES_PER_PART)) {
            emit(false);
        }
        audio.add(frame, duration);
        started = true;
        return duration;
    }

    private MediaFrame dequeue() {
        MediaFrame frame = queue.poll();
        queueBytes -= frame.size();
        return frame;
    }

    private void emit(boolean endsSegment) {
        CmafPart part = audio.cut(endsSegment);
        if (part != null) {
            listener.onPart(part);
        } else if (endsSegment) {
            log.debug("No audio before a segment end of {}", audio.packaged.epoch());
        }
    }

    /** Whether an audio time is before a lead time, compared exactly across the two timescales. */
    private boolean before(long audioTime, long leadTime) {
        return Math.multiplyExact(audioTime, (long) lead.timescale())
                < Math.multiplyExact(leadTime, (long) audio.info.timescale());
    }

    static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
