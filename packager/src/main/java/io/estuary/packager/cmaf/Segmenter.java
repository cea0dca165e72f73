package io.estuary.packager.cmaf;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.frame.VideoCodecConfig;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.drm.StreamProtection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts one publish session's frames into CMAF parts and segments: every video track (the renditions of an ABR
 * ladder, or the single video track of an ingest) and one audio track, named as {@link TrackNames} says.
 *
 * <p>The first video track is the lead: it decides the cuts. A segment ends at the first keyframe at least
 * segment-target (less half a part target, so that encoders whose keyframe interval rounds down, like OBS at 29.97
 * fps with 59-frame GOPs, still get segments of one GOP rather than two) after its start; a GOP longer than three
 * segment targets is cut without a keyframe, so that a segment, the memory it holds and its playlist stay bounded.
 * A part ends before the frame that would make it longer than its budget, and always at a segment end. A sample's
 * duration is known only when the next frame arrives, so one lead frame is held back.
 *
 * <p>Every other track is cut at the lead's cut times, so that part N and segment N of all tracks cover the same
 * time: the other video renditions as {@link VideoFollower} says, audio as {@link AudioFollower} says. Because audio
 * parts can overshoot the lead's cut by up to one audio frame, the lead's part budget is part-target minus one
 * audio frame: every part of every track stays within part-target. Frames whose decode time does not advance are
 * dropped and counted.
 *
 * <p>Not thread-safe: every call comes from the stream's executor, as {@link StreamSubscriber} promises.
 */
public final class Segmenter implements StreamSubscriber {

    static final int MAX_SAMPLES_PER_PART = 2000;
    static final long MAX_BYTES_PER_PART = 16L << 20;
    static final String VIDEO = TrackNames.VIDEO;
    static final String AUDIO = TrackNames.AUDIO;
    /** Lead cuts waiting for a following track; more means it has stopped coming, and older cuts are of no use. */
    static final int MAX_PENDING_CUTS = 64;

    private static final Logger log = LoggerFactory.getLogger(Segmenter.class);
    /** Process-wide, so that even two sessions started in the same millisecond get different epochs. */
    private static final AtomicLong LAST_EPOCH = new AtomicLong();
    /** A segment without a keyframe in sight is cut after this many segment targets. */
    private static final int MAX_SEGMENT_TARGETS = 3;

    private final PackagerConfig config;
    private final SegmenterListener listener;
    private final LongSupplier wallClockMillis;
    private final StreamProtection protection;

    private List<TrackInfo> tracks = List.of();
    /** The fragment sequence number each track name continues with in its next epoch. */
    private final Map<String, Long> nextSequences = new HashMap<>();
    private SegmenterTrack lead;
    private List<VideoFollower> followers = List.of();
    private AudioFollower audio;
    /** Followers by track id, for frame routing. */
    private final Map<Integer, VideoFollower> followerById = new HashMap<>();

    /** The lead frame whose duration waits for its successor. */
    private MediaFrame heldLead;
    private long partBudget;
    private long segmentTarget;
    private long keyframeTolerance;
    private boolean warnedLongGop;
    private boolean awaitingKeyframe;

    private long ignoredFrames;
    /** Dropped counts of tracks of earlier epochs of this session. */
    private long droppedBefore;
    /** Within {@link #flushAll}: the last lead cut takes all remaining audio, so audio ends with video. */
    private boolean flushing;
    private boolean ended;

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
        long n = droppedBefore + ignoredFrames + (lead == null ? 0 : lead.dropped)
                + (audio == null ? 0 : audio.audio.dropped);
        for (VideoFollower f : followers) {
            n += f.track.dropped;
        }
        return n;
    }

    List<VideoFollower> followers() {
        return followers;
    }

    /** Segments of renditions other than the lead that were cut where the lead's are, without a keyframe. */
    long segmentsWithoutKeyframe() {
        return followers.stream().mapToLong(f -> f.segmentsWithoutKeyframe).sum();
    }

    /**
     * A new track list starts new epochs for every track (after flushing the old ones); the same list again
     * changes nothing.
     *
     * @throws IllegalArgumentException when two tracks would be packaged under the same name; the tracks packaged
     *                                  so far go on
     */
    @Override
    public void onTracks(List<TrackInfo> newTracks) {
        if (ended || newTracks.equals(tracks)) {
            return;
        }
        List<TrackNames.Named> named = TrackNames.assign(newTracks);
        flushAll();
        tracks = List.copyOf(newTracks);
        droppedBefore = droppedFrames() - ignoredFrames;
        lead = null;
        audio = null;
        followerById.clear();
        List<SegmenterTrack> videos = new ArrayList<>();
        SegmenterTrack audioTrack = null;
        for (TrackNames.Named n : named) {
            SegmenterTrack t = new SegmenterTrack(new PackagedTrack(n.name(), n.info(), nextEpoch(), protection),
                    nextSequences.getOrDefault(n.name(), 1L));
            if (n.info().type() == MediaType.VIDEO) {
                videos.add(t);
            } else {
                audioTrack = t;
            }
        }
        List<VideoFollower> newFollowers = new ArrayList<>();
        if (!videos.isEmpty()) {
            lead = videos.get(0);
            for (SegmenterTrack t : videos.subList(1, videos.size())) {
                VideoFollower f = new VideoFollower(t, config, listener, lead);
                newFollowers.add(f);
                followerById.put(t.info.trackId(), f);
            }
        }
        followers = List.copyOf(newFollowers);
        audio = audioTrack == null ? null : new AudioFollower(audioTrack, config, listener, lead);
        heldLead = null;
        awaitingKeyframe = true;
        if (lead != null) {
            segmentTarget = lead.ticks(config.segmentTarget());
            keyframeTolerance = lead.ticks(config.partTarget()) / 2;
            partBudget = lead.ticks(config.partTarget()) - (audio == null ? 0 : audio.frameInLeadTicks());
        }
        for (SegmenterTrack t : videos) {
            listener.onTrackStart(t.packaged, CmafInitWriter.write(t.info, protection));
        }
        if (audio != null) {
            listener.onTrackStart(audio.audio.packaged, CmafInitWriter.write(audio.audio.info, protection));
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (ended) {
            return;
        }
        if (frame.type() == MediaType.VIDEO) {
            if (lead != null && frame.trackId() == lead.info.trackId()) {
                onLead(frame);
                return;
            }
            VideoFollower f = followerById.get(frame.trackId());
            if (f != null) {
                f.onFrame(frame);
                return;
            }
        } else if (audio != null && frame.trackId() == audio.audio.info.trackId()) {
            audio.onFrame(frame);
            return;
        }
        ignoredFrames++;
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
        if (segmentsWithoutKeyframe() > 0) {
            log.info("Session ended; {} rendition segments started without a keyframe", segmentsWithoutKeyframe());
        }
        listener.onSessionEnd();
    }

    // ---- the lead ----

    private void onLead(MediaFrame frame) {
        if (awaitingKeyframe && !frame.keyframe()) {
            lead.dropped++;
            return;
        }
        if (!lead.advances(frame)) {
            dropNonAdvancing(lead, frame);
            return;
        }
        if (awaitingKeyframe) {
            awaitingKeyframe = false;
            if (audio != null) {
                audio.startAt(frame.dts());
            }
            for (VideoFollower f : followers) {
                f.onCut(Cut.leadStart(frame.dts()));
            }
        }
        MediaFrame held = heldLead;
        heldLead = frame;
        if (held == null) {
            return;
        }
        long duration = frame.dts() - held.dts();
        addLead(held, duration);
        long sinceSegmentStart = frame.dts() - lead.segmentStart;
        if (frame.keyframe() && sinceSegmentStart >= segmentTarget - keyframeTolerance) {
            cutLead(true, frame.dts());
        } else if (sinceSegmentStart >= MAX_SEGMENT_TARGETS * segmentTarget) {
            if (!warnedLongGop) {
                warnedLongGop = true;
                log.warn("{}: no keyframe for {} segment targets; cutting segments without one (set the encoder's "
                        + "keyframe interval to the segment target)", lead.packaged.epoch(), MAX_SEGMENT_TARGETS);
            }
            cutLead(true, frame.dts());
        } else if (lead.part.duration() + duration > partBudget) {
            // the next frame (assumed as long as this one) would not fit: cut now rather than a frame later
            cutLead(false, frame.dts());
        }
    }

    private void addLead(MediaFrame frame, long duration) {
        if (lead.part != null && (lead.part.duration() + duration > partBudget
                || lead.wouldOverflow(frame, MAX_SAMPLES_PER_PART, MAX_BYTES_PER_PART))) {
            cutLead(false, frame.dts());
        }
        lead.add(frame, duration);
    }

    /** Ends the lead's part, and tells the other tracks where: their part of the same number ends there too. */
    private void cutLead(boolean endsSegment, long nextPartStart) {
        long segmentIndex = lead.segmentIndex;
        CmafPart part = lead.cut(endsSegment);
        if (part == null) {
            return;
        }
        listener.onPart(part);
        Cut cut = new Cut(nextPartStart, endsSegment, segmentIndex);
        for (VideoFollower f : followers) {
            f.onCut(cut);
        }
        if (audio != null) {
            audio.onCut(cut, flushing);
        }
    }

    private long defaultLeadDuration() {
        double fps = ((VideoCodecConfig) lead.info.config()).frameRate();
        return fps > 0 ? Math.round(lead.info.timescale() / fps) : lead.info.timescale() / 30;
    }

    // ---- every track ----

    /** Ends every open part and segment: at a codec change and at the session's end. */
    private void flushAll() {
        flushing = true;
        if (lead != null && heldLead != null) {
            long duration = lead.lastDuration > 0 ? lead.lastDuration : defaultLeadDuration();
            MediaFrame last = heldLead;
            heldLead = null;
            addLead(last, duration);
            cutLead(true, last.dts() + duration);
        }
        for (VideoFollower f : followers) {
            f.flush();
        }
        if (audio != null) {
            audio.flush();
        }
        remember(lead);
        for (VideoFollower f : followers) {
            remember(f.track);
        }
        if (audio != null) {
            remember(audio.audio);
        }
        flushing = false;
    }

    private void remember(SegmenterTrack track) {
        if (track != null) {
            nextSequences.put(track.packaged.name(), track.nextSequence());
        }
    }

    static void dropNonAdvancing(SegmenterTrack track, MediaFrame frame) {
        if (track.dropped++ == 0) {
            log.warn("Dropping {} frame with dts {} on {}/{}: decode time must advance (further drops counted)",
                    track.packaged.name(), frame.dts(), track.packaged.name(), track.packaged.epoch());
        }
    }

    private String nextEpoch() {
        long now = wallClockMillis.getAsLong();
        return Long.toString(LAST_EPOCH.updateAndGet(last -> Math.max(last + 1, now)), 36);
    }
}
