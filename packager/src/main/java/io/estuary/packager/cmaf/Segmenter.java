package io.estuary.packager.cmaf;

import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.frame.VideoCodecConfig;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.drm.StreamProtection;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts one publish session's frames into CMAF parts and segments, one track each for video and audio.
 *
 * <p>Video drives the cuts. A segment ends at the first keyframe at least segment-target (less half a part target,
 * so that encoders whose keyframe interval rounds down, like OBS at 29.97 fps with 59-frame GOPs, still get
 * segments of one GOP rather than two) after its start; a GOP longer than three segment targets is cut without a
 * keyframe, so that a segment, the memory it holds and its playlist stay bounded. A part
 * ends before the frame that would make it longer than its budget, and always at a segment end. A sample's
 * duration is known only when the next frame arrives, so one video frame is held back. Audio is cut at the same
 * media times as video (audio part N holds the audio samples whose pts is before the end of video part N), so
 * that part N and segment N of both tracks cover the same time. Because audio parts can then overshoot the video
 * cut by up to one audio frame, the video part budget is part-target minus one audio frame: every part of both
 * tracks stays within part-target.
 *
 * <p>Without a video track, or when video has been silent for twice the segment target while audio goes on,
 * audio cuts itself at the targets. Frames whose decode time does not advance are dropped and counted.
 *
 * <p>Not thread-safe: every call comes from the stream's executor, as {@link StreamSubscriber} promises.
 */
public final class Segmenter implements StreamSubscriber {

    static final int MAX_SAMPLES_PER_PART = 2000;
    static final long MAX_BYTES_PER_PART = 16L << 20;
    static final String VIDEO = "video";
    static final String AUDIO = "audio";

    private static final Logger log = LoggerFactory.getLogger(Segmenter.class);
    /** Process-wide, so that even two sessions started in the same millisecond get different epochs. */
    private static final AtomicLong LAST_EPOCH = new AtomicLong();
    /** A segment without a keyframe in sight is cut after this many segment targets. */
    private static final int MAX_SEGMENT_TARGETS = 3;
    /** Video cuts waiting for audio; more means audio has stopped coming, and older cuts are of no use. */
    private static final int MAX_PENDING_CUTS = 64;

    private final PackagerConfig config;
    private final SegmenterListener listener;
    private final LongSupplier wallClockMillis;
    private final StreamProtection protection;

    private List<TrackInfo> tracks = List.of();
    private SegmenterTrack video;
    private SegmenterTrack audio;
    private long videoSequence = 1;
    private long audioSequence = 1;

    /** The video frame whose duration waits for its successor. */
    private MediaFrame heldVideo;
    private long videoPartBudget;
    private long videoSegmentTarget;
    private long keyframeTolerance;
    private boolean warnedLongGop;
    private boolean awaitingKeyframe;
    private long videoStart = SegmenterTrack.UNSET;

    /** Audio received but not yet given to a part. */
    private final ArrayDeque<MediaFrame> audioQueue = new ArrayDeque<>();
    private long audioQueueBytes;
    /** Ends of video parts (video timescale) not yet applied to audio. */
    private final ArrayDeque<Cut> cuts = new ArrayDeque<>();
    private boolean audioCutsItself;
    private boolean audioStarted;

    private long ignoredFrames;
    /** Within {@link #flushAll}: the last video cut takes all remaining audio, so audio ends with video. */
    private boolean flushing;
    private boolean ended;

    private record Cut(long videoTime, boolean endsSegment) {
    }

    public Segmenter(PackagerConfig config, SegmenterListener listener) {
        this(config, listener, System::currentTimeMillis);
    }

    public Segmenter(PackagerConfig config, SegmenterListener listener, LongSupplier wallClockMillis) {
        this(config, listener, wallClockMillis, null);
    }

    /** A segmenter whose tracks are encrypted under {@code protection}; {@code null} packages clear media. */
    public Segmenter(PackagerConfig config, SegmenterListener listener, StreamProtection protection) {
        this(config, listener, System::currentTimeMillis, protection);
    }

    /**
     * @param protection how every track is encrypted and signalled, or {@code null} for clear media. Samples are
     *                   encrypted as parts are cut, on the caller's thread: the stream's executor, never an event
     *                   loop.
     */
    public Segmenter(PackagerConfig config, SegmenterListener listener, LongSupplier wallClockMillis,
            StreamProtection protection) {
        this.config = config;
        this.listener = listener;
        this.wallClockMillis = wallClockMillis;
        this.protection = protection;
    }

    /** Frames dropped because their decode time did not advance or they preceded the first keyframe. */
    public long droppedFrames() {
        return (video == null ? 0 : video.dropped) + (audio == null ? 0 : audio.dropped) + ignoredFrames;
    }

    @Override
    public void onTracks(List<TrackInfo> newTracks) {
        if (ended || newTracks.equals(tracks)) {
            return;
        }
        flushAll();
        tracks = List.copyOf(newTracks);
        TrackInfo videoInfo = first(newTracks, MediaType.VIDEO);
        TrackInfo audioInfo = first(newTracks, MediaType.AUDIO);
        if (newTracks.size() > (videoInfo == null ? 0 : 1) + (audioInfo == null ? 0 : 1)) {
            log.warn("Only the first video and the first audio track are packaged, of {}", newTracks);
        }
        video = videoInfo == null ? null
                : new SegmenterTrack(new PackagedTrack(VIDEO, videoInfo, nextEpoch(), protection), videoSequence);
        audio = audioInfo == null ? null
                : new SegmenterTrack(new PackagedTrack(AUDIO, audioInfo, nextEpoch(), protection), audioSequence);
        heldVideo = null;
        awaitingKeyframe = true;
        videoStart = SegmenterTrack.UNSET;
        cuts.clear();
        audioCutsItself = video == null;
        audioStarted = false;
        if (video != null) {
            videoSegmentTarget = video.ticks(config.segmentTarget());
            keyframeTolerance = video.ticks(config.partTarget()) / 2;
            videoPartBudget = video.ticks(config.partTarget()) - (audio == null ? 0 : audioFrameInVideoTicks());
            listener.onTrackStart(video.packaged, CmafInitWriter.write(videoInfo, protection));
        }
        if (audio != null) {
            listener.onTrackStart(audio.packaged, CmafInitWriter.write(audioInfo, protection));
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (ended) {
            return;
        }
        if (video != null && frame.trackId() == video.info.trackId() && frame.type() == MediaType.VIDEO) {
            onVideo(frame);
        } else if (audio != null && frame.trackId() == audio.info.trackId() && frame.type() == MediaType.AUDIO) {
            onAudio(frame);
        } else {
            ignoredFrames++;
        }
    }

    @Override
    public void onEnd() {
        if (ended) {
            return;
        }
        flushAll();
        ended = true;
        if (droppedFrames() > 0) {
            log.info("Session ended; {} frames were dropped", droppedFrames());
        }
        listener.onSessionEnd();
    }

    // ---- video ----

    private void onVideo(MediaFrame frame) {
        if (awaitingKeyframe && !frame.keyframe()) {
            video.dropped++;
            return;
        }
        if (!video.advances(frame)) {
            dropNonAdvancing(video, frame);
            return;
        }
        if (awaitingKeyframe) {
            awaitingKeyframe = false;
            startAudioAt(frame.dts());
        }
        MediaFrame held = heldVideo;
        heldVideo = frame;
        if (held == null) {
            return;
        }
        long duration = frame.dts() - held.dts();
        addVideo(held, duration);
        long sinceSegmentStart = frame.dts() - video.segmentStart;
        if (frame.keyframe() && sinceSegmentStart >= videoSegmentTarget - keyframeTolerance) {
            cutVideo(true, frame.dts());
        } else if (sinceSegmentStart >= MAX_SEGMENT_TARGETS * videoSegmentTarget) {
            if (!warnedLongGop) {
                warnedLongGop = true;
                log.warn("{}: no keyframe for {} segment targets; cutting segments without one (set the encoder's "
                        + "keyframe interval to the segment target)", video.packaged.epoch(), MAX_SEGMENT_TARGETS);
            }
            cutVideo(true, frame.dts());
        } else if (video.part.duration() + duration > videoPartBudget) {
            // the next frame (assumed as long as this one) would not fit: cut now rather than a frame later
            cutVideo(false, frame.dts());
        }
    }

    private void addVideo(MediaFrame frame, long duration) {
        if (video.part != null && (video.part.duration() + duration > videoPartBudget
                || video.wouldOverflow(frame, MAX_SAMPLES_PER_PART, MAX_BYTES_PER_PART))) {
            cutVideo(false, frame.dts());
        }
        video.add(frame, duration);
    }

    private void cutVideo(boolean endsSegment, long nextPartStart) {
        CmafPart part = video.cut(endsSegment);
        if (part == null) {
            return;
        }
        listener.onPart(part);
        if (audio != null) {
            if (cuts.size() >= MAX_PENDING_CUTS) {
                cuts.poll();
            }
            cuts.add(new Cut(nextPartStart, endsSegment));
            applyCutsToAudio(flushing);
        }
    }

    private long audioFrameInVideoTicks() {
        AudioCodecConfig a = (AudioCodecConfig) audio.info.config();
        return ceilDiv((long) a.samplesPerFrame() * video.info.timescale(), audio.info.timescale());
    }

    private long defaultVideoDuration() {
        double fps = ((VideoCodecConfig) video.info.config()).frameRate();
        return fps > 0 ? Math.round(video.info.timescale() / fps) : video.info.timescale() / 30;
    }

    // ---- audio ----

    private void onAudio(MediaFrame frame) {
        if (!audio.advances(frame)) {
            dropNonAdvancing(audio, frame);
            return;
        }
        if (!audioStarted && !audioCutsItself && videoStart != SegmenterTrack.UNSET
                && audioBefore(frame.pts(), videoStart)) {
            audio.dropped++; // before the first video frame: the tracks start together
            return;
        }
        audioQueue.add(frame);
        audioQueueBytes += frame.size();
        if (audioCutsItself) {
            cutAudioByItself(false);
        } else {
            applyCutsToAudio(false);
            if (!audioCutsItself && audioQueueTooLong()) {
                log.warn("No video on {} for {} while audio goes on: cutting audio by itself",
                        video.packaged.epoch(), config.segmentTarget().multipliedBy(2));
                audioCutsItself = true;
                cutAudioByItself(false);
            }
        }
    }

    /** Audio before the first video keyframe of an epoch is dropped, so both tracks start together. */
    private void startAudioAt(long videoDts) {
        videoStart = videoDts;
        while (audio != null && !audioStarted && !audioCutsItself && !audioQueue.isEmpty()
                && audioBefore(audioQueue.peek().pts(), videoDts)) {
            dequeueAudio();
            audio.dropped++;
        }
    }

    private boolean audioQueueTooLong() {
        if (audioQueue.size() < 2) {
            return false;
        }
        long span = audioQueue.peekLast().dts() - audioQueue.peekFirst().dts();
        return span > 2 * audio.ticks(config.segmentTarget()) || audioQueue.size() > MAX_SAMPLES_PER_PART
                || audioQueueBytes > MAX_BYTES_PER_PART;
    }

    /** Gives audio to parts for every video cut the audio has passed (all of them when {@code force}). */
    private void applyCutsToAudio(boolean force) {
        while (!cuts.isEmpty()) {
            Cut cut = cuts.peek();
            if (audioCutsItself) {
                if (audio.lastAssignedPts != SegmenterTrack.UNSET && !audioBefore(audio.lastAssignedPts,
                        cut.videoTime())) {
                    cuts.poll(); // audio cut by itself past this point already
                    continue;
                }
                log.info("Video is back on {}: audio follows its cuts again", video.packaged.epoch());
                audioCutsItself = false;
            }
            MediaFrame newest = audioQueue.peekLast();
            if (!force && (newest == null || audioBefore(newest.pts(), cut.videoTime()))) {
                return; // the audio has not passed this cut yet
            }
            cuts.poll();
            boolean last = force && cuts.isEmpty();
            while (!audioQueue.isEmpty() && (last || audioBefore(audioQueue.peek().pts(), cut.videoTime()))) {
                addAudio(dequeueAudio());
            }
            emitAudio(cut.endsSegment());
        }
    }

    /** Audio-only cutting: parts up to part-target, a segment ends when another part would pass its target. */
    private void cutAudioByItself(boolean flush) {
        while (audioQueue.size() >= (flush ? 1 : 2)) {
            long duration = addAudio(dequeueAudio());
            if (audio.part.duration() + duration > audio.ticks(config.partTarget())) {
                emitAudioByItself(); // the next frame would not fit: cut now rather than a frame later
            }
        }
    }

    private void emitAudioByItself() {
        long segmentSoFar = audio.lastAssignedPts + audio.lastDuration - audio.segmentStart;
        emitAudio(segmentSoFar + audio.part.duration() > audio.ticks(config.segmentTarget()));
    }

    /** Moves a frame from the queue into the open audio part; its duration is known from its successor. */
    private long addAudio(MediaFrame frame) {
        MediaFrame next = audioQueue.peek();
        long duration = next != null ? next.dts() - frame.dts()
                : ((AudioCodecConfig) audio.info.config()).samplesPerFrame();
        if (audioCutsItself && audio.part != null
                && audio.part.duration() + duration > audio.ticks(config.partTarget())) {
            emitAudioByItself();
        }
        if (audio.wouldOverflow(frame, MAX_SAMPLES_PER_PART, MAX_BYTES_PER_PART)) {
            emitAudio(false);
        }
        audio.add(frame, duration);
        audioStarted = true;
        return duration;
    }

    private MediaFrame dequeueAudio() {
        MediaFrame frame = audioQueue.poll();
        audioQueueBytes -= frame.size();
        return frame;
    }

    private void emitAudio(boolean endsSegment) {
        CmafPart part = audio.cut(endsSegment);
        if (part != null) {
            listener.onPart(part);
        } else if (endsSegment) {
            log.debug("No audio before a segment end of {}", audio.packaged.epoch());
        }
    }

    /** Whether an audio time is before a video time, compared exactly across the two timescales. */
    private boolean audioBefore(long audioTime, long videoTime) {
        return Math.multiplyExact(audioTime, (long) video.info.timescale())
                < Math.multiplyExact(videoTime, (long) audio.info.timescale());
    }

    // ---- both ----

    /** Ends every open part and segment: at a codec change and at the session's end. */
    private void flushAll() {
        flushing = true;
        if (video != null && heldVideo != null) {
            long duration = video.lastDuration > 0 ? video.lastDuration : defaultVideoDuration();
            MediaFrame last = heldVideo;
            heldVideo = null;
            addVideo(last, duration);
            cutVideo(true, last.dts() + duration);
        }
        if (audio != null) {
            if (audioCutsItself) {
                cutAudioByItself(true);
            } else {
                applyCutsToAudio(true);
                while (!audioQueue.isEmpty()) {
                    addAudio(dequeueAudio());
                }
            }
            emitAudio(true);
            audioSequence = audio.nextSequence();
        }
        if (video != null) {
            videoSequence = video.nextSequence();
        }
        audioQueue.clear();
        audioQueueBytes = 0;
        cuts.clear();
        flushing = false;
    }

    private void dropNonAdvancing(SegmenterTrack track, MediaFrame frame) {
        if (track.dropped++ == 0) {
            log.warn("Dropping {} frame with dts {} on {}/{}: decode time must advance (further drops counted)",
                    track.packaged.name(), frame.dts(), track.packaged.name(), track.packaged.epoch());
        }
    }

    private String nextEpoch() {
        long now = wallClockMillis.getAsLong();
        return Long.toString(LAST_EPOCH.updateAndGet(last -> Math.max(last + 1, now)), 36);
    }

    private static TrackInfo first(List<TrackInfo> tracks, MediaType type) {
        return tracks.stream().filter(t -> t.type() == type).findFirst().orElse(null);
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
