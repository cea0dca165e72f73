package io.estuary.transcoder;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.transcoder.ffmpeg.AudioSettings;
import io.estuary.transcoder.ffmpeg.AudioTranscoder;
import io.estuary.transcoder.ffmpeg.VideoDecoder;
import io.estuary.transcoder.ffmpeg.VideoEncoder;
import io.estuary.transcoder.ffmpeg.VideoEncoderSettings;
import io.estuary.transcoder.ladder.Ladder;
import io.estuary.transcoder.ladder.Rung;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcodes one publish session into its ladder and publishes the renditions as the tracks of {@code output}:
 * the source passed through (when the ladder keeps it), each encoded rung, and the audio encoded once to AAC-LC (or,
 * with {@code audio.opus-passthrough}, Opus audio passed through as it is).
 * Every call comes from the session's own thread (the subscriber executor), never an event loop; all native
 * state is freed when the session ends, or when a track change rebuilds the pipeline.
 *
 * <p>Keyframes: with the source passed through, every rung makes an IDR exactly where the source has a keyframe,
 * so each rendition's segment N starts where the source's does; without it, every rung makes one each
 * keyframe-interval of presentation time. Timestamps follow the source (see {@link SourceTimeline}).
 */
public final class TranscodeSession implements StreamSubscriber {

    private static final Logger log = LoggerFactory.getLogger(TranscodeSession.class);
    /** x264 never places a keyframe of its own within this many seconds: all keyframes are the ones we force. */
    private static final int GOP_CEILING_SECONDS = 60;
    private static final double DEFAULT_FPS = 30;

    private final StreamKey key;
    private final TranscoderConfig config;
    private final Ladder ladder;
    private final LiveStream output;
    private final TranscodeStats stats;
    private final Runnable onClosed;

    private List<TrackInfo> sourceTracks = List.of();
    private Pipeline pipeline;
    private boolean ended;
    /**
     * The source size the ladder was resolved for. A publisher that changes its resolution but not its shape (a
     * browser adapting to its CPU or network: 1280x720, then 960x540) keeps the renditions it had, so the players'
     * multivariant playlists stay true; a rung above the smaller source is upscaled until the source grows back. A
     * new shape (a phone turned) resolves the ladder again.
     */
    private int ladderWidth;
    private int ladderHeight;

    /**
     * @param output   where the renditions go: the stream the packager serves
     * @param onClosed runs on the session thread once the session has ended and freed its native state
     */
    public TranscodeSession(StreamKey key, TranscoderConfig config, Ladder ladder, LiveStream output,
            TranscodeStats stats, Runnable onClosed) {
        this.key = key;
        this.config = config;
        this.ladder = ladder;
        this.output = output;
        this.stats = stats;
        this.onClosed = onClosed;
    }

    @Override
    public void onTracks(List<TrackInfo> tracks) {
        if (ended || tracks.equals(sourceTracks)) {
            return;
        }
        closePipeline(true);
        sourceTracks = List.copyOf(tracks);
        pipeline = build(tracks);
        synchronized (output) {
            output.updateTracks(pipeline.outputTracks);
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (ended || pipeline == null) {
            return;
        }
        if (frame.type() == MediaType.VIDEO && frame.trackId() == pipeline.sourceVideoId) {
            pipeline.video(frame);
        } else if (frame.type() == MediaType.AUDIO && frame.trackId() == pipeline.sourceAudioId) {
            pipeline.audio(frame);
        }
    }

    @Override
    public void onEnd() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            closePipeline(true);
        } finally {
            synchronized (output) {
                output.end();
            }
            onClosed.run();
        }
    }

    /**
     * Hands a frame to the output. The rung workers and the session thread all publish, so they take turns on the
     * output's lock: a LiveStream expects one publisher at a time.
     */
    private void publishOut(MediaFrame frame) {
        synchronized (output) {
            output.publish(frame);
        }
    }

    private void closePipeline(boolean flush) {
        if (pipeline != null) {
            Pipeline p = pipeline;
            pipeline = null;
            p.close(flush);
        }
    }

    private Pipeline build(List<TrackInfo> tracks) {
        TrackInfo video = tracks.stream().filter(t -> t.type() == MediaType.VIDEO).findFirst().orElse(null);
        TrackInfo audio = tracks.stream().filter(t -> t.type() == MediaType.AUDIO).findFirst().orElse(null);
        Pipeline p = new Pipeline(video, audio);
        try {
            p.open();
        } catch (RuntimeException e) {
            p.close(false);
            log.error("{}: cannot transcode {} ({}); the source is passed through as it is", key, tracks,
                    e.getMessage(), e);
            p = new Pipeline(video, audio);
            p.openPassthrough();
        }
        stats.renditions(p.renditionStats);
        log.info("{}: transcoding {} into {}", key, tracks.stream().map(t -> t.config().toString()).toList(),
                p.outputTracks.stream().map(TranscodeSession::describe).toList());
        return p;
    }

    private List<Rung> ladderFor(AvcConfig source) {
        int w = source.width();
        int h = source.height();
        if (ladderWidth > 0 && w > 0 && h > 0 && (w != ladderWidth || h != ladderHeight)
                && Math.abs((double) w * ladderHeight - (double) ladderWidth * h) <= 0.01 * ladderWidth * h) {
            log.info("{}: the source is now {}x{}; the renditions made for {}x{} stay", key, w, h, ladderWidth,
                    ladderHeight);
        } else {
            ladderWidth = w;
            ladderHeight = h;
        }
        return ladder.resolve(ladderWidth, ladderHeight);
    }

    private static String describe(TrackInfo t) {
        return (t.label() == null ? t.type().name().toLowerCase(java.util.Locale.ROOT) : t.label()) + " "
                + t.config();
    }

    /** The decoder, the rung encoders and the audio path for one set of source tracks. */
    private final class Pipeline {
        final TrackInfo video;
        final TrackInfo audio;
        final int sourceVideoId;
        final int sourceAudioId;
        final List<TrackInfo> outputTracks = new ArrayList<>();
        final List<RenditionStats> renditionStats = new ArrayList<>();
        /** Encoded rungs, most pixels first: the order load shedding takes them in. */
        final List<RungWorker> workers = new ArrayList<>();
        final SourceTimeline timeline = new SourceTimeline();
        int passthroughId = -1;
        RenditionStats passthroughStats;
        int audioId = -1;
        VideoDecoder decoder;
        AudioTranscoder audioTranscoder;
        LoadShedder shedder;
        long pictures;
        long keyframeIntervalTicks;
        long nextForcedPts = Long.MIN_VALUE;
        long lastVideoDts = Long.MIN_VALUE;

        Pipeline(TrackInfo video, TrackInfo audio) {
            this.video = video;
            this.audio = audio;
            this.sourceVideoId = video == null ? -1 : video.trackId();
            this.sourceAudioId = audio == null ? -1 : audio.trackId();
        }

        void open() {
            List<Rung> rungs = video != null && video.config() instanceof AvcConfig avc ? ladderFor(avc) : List.of();
            boolean encodes = rungs.stream().anyMatch(r -> !r.passthrough());
            long videoOutputs = rungs.isEmpty() ? (video == null ? 0 : 1) : rungs.size();
            int nextId = 1;
            if (video != null && rungs.isEmpty()) {
                passthrough(nextId++, null, video);
            }
            for (Rung rung : rungs) {
                if (rung.passthrough()) {
                    passthrough(nextId++, videoOutputs > 1 ? rung.name() : null, video);
                    continue;
                }
                RenditionStats rs = new RenditionStats(rung.name(), false, rung.width(), rung.height(),
                        rung.bitrate());
                RungEncoder encoder = new RungEncoder(rung, nextId++, settings(rung), rs);
                workers.add(new RungWorker(encoder, key.toString(), TranscodeSession.this::publishOut));
                renditionStats.add(rs);
                outputTracks.add(encoder.track());
            }
            workers.sort(Comparator.comparingLong((RungWorker w) -> w.encoder().rung().pixels()).reversed());
            if (encodes) {
                decoder = VideoDecoder.open((AvcConfig) video.config(), config.decoderThreads());
                shedder = new LoadShedder(key, config.maxLag().toNanos(), workers.size(), System.nanoTime());
                keyframeIntervalTicks = config.keyframeInterval() == null ? 2 * 90_000L
                        : config.keyframeInterval().toMillis() * 90;
            }
            if (audio != null) {
                audioId = nextId;
                // Opus passthrough: every rendition shares the Opus track as it is, as they share AAC otherwise.
                boolean keepOpus = audio.config() instanceof OpusConfig && config.audio().opusPassthrough();
                if (!keepOpus && (encodes || !(audio.config() instanceof AacConfig))) {
                    TranscoderConfig.AudioDefaults a = config.audio();
                    audioTranscoder = AudioTranscoder.open((io.estuary.media.frame.AudioCodecConfig) audio.config(),
                            new AudioSettings(a.sampleRate(), a.channels(), a.bitrate()));
                    outputTracks.add(TrackInfo.audio(audioId, audioTranscoder.config()));
                } else {
                    outputTracks.add(audio.withTrackId(audioId).withLabel(null));
                }
            }
        }

        /** Everything as it came: what is left when the transcoder cannot open. */
        void openPassthrough() {
            int nextId = 1;
            if (video != null) {
                passthrough(nextId++, null, video);
            }
            if (audio != null) {
                audioId = nextId;
                outputTracks.add(audio.withTrackId(audioId).withLabel(null));
            }
        }

        private void passthrough(int id, String label, TrackInfo source) {
            passthroughId = id;
            outputTracks.add(source.withTrackId(id).withLabel(label));
            AvcConfig avc = source.config() instanceof AvcConfig a ? a : null;
            passthroughStats = new RenditionStats(label == null ? "source" : label, true,
                    avc == null ? 0 : avc.width(), avc == null ? 0 : avc.height(), 0);
            renditionStats.add(passthroughStats);
        }

        private VideoEncoderSettings settings(Rung rung) {
            double fps = ((AvcConfig) video.config()).frameRate() > 0 ? ((AvcConfig) video.config()).frameRate()
                    : DEFAULT_FPS;
            TranscoderConfig.VideoDefaults v = config.video();
            int gop = (int) Math.ceil(fps * GOP_CEILING_SECONDS);
            return new VideoEncoderSettings(VideoEncoder.choose(v.encoder()), rung.width(), rung.height(), fps,
                    rung.bitrate(), rung.maxrate(), rung.bufsize(), v.preset(), v.tune(), v.profile(), gop,
                    v.threads());
        }

        void video(MediaFrame frame) {
            long start = System.nanoTime();
            if (passthroughId >= 0) {
                publish(frame, passthroughId);
                passthroughStats.frameOut();
            }
            if (decoder != null) {
                long lag = Math.max(0, start - frame.receivedNanos());
                int level = shedder.observe(lag, start);
                stats.lag(lag, level);
                if (shedder.skippingToKeyframe() && !frame.keyframe()) {
                    stats.skippedSourceFrame();
                    workers.forEach(w -> w.encoder().stats().dropped());
                } else {
                    if (frame.keyframe()) {
                        shedder.resumedAtKeyframe();
                    }
                    timeline.sent(frame);
                    decoder.decode(frame, this::picture);
                }
            }
            long ticks = lastVideoDts == Long.MIN_VALUE ? 0 : Math.max(0, frame.dts() - lastVideoDts);
            lastVideoDts = frame.dts();
            long now = System.nanoTime();
            stats.worked(now - start, ticks, now);
        }

        private void picture(AVFrame picture, long pts, boolean keyframe) {
            SourceTimeline.Stamp stamp = timeline.decoded(pts);
            boolean force = forceKeyframe(stamp);
            long n = pictures++;
            for (int rank = 0; rank < workers.size(); rank++) {
                RungWorker worker = workers.get(rank);
                if (shedder.skips(rank, n, force)) {
                    worker.encoder().stats().dropped();
                } else {
                    worker.submit(picture, stamp, force);
                }
            }
        }

        private boolean forceKeyframe(SourceTimeline.Stamp stamp) {
            if (passthroughId >= 0) {
                return stamp.sourceKeyframe() || pictures == 0;
            }
            // Half a frame early still counts, so that a 29.97 fps source does not slip a frame per interval.
            if (nextForcedPts == Long.MIN_VALUE || stamp.pts() >= nextForcedPts - 1500) {
                nextForcedPts = stamp.pts() + keyframeIntervalTicks;
                return true;
            }
            return false;
        }

        void audio(MediaFrame frame) {
            if (audioTranscoder == null) {
                publish(frame, audioId);
                return;
            }
            long start = System.nanoTime();
            audioTranscoder.transcode(frame, f -> publish(f, audioId));
            stats.audioWorked(System.nanoTime() - start);
        }

        private void publish(MediaFrame f, int trackId) {
            publishOut(f.trackId() == trackId ? f : new MediaFrame(trackId, f.type(), f.dts(),
                    f.compositionOffset(), f.keyframe(), f.data(), f.wallClockMillis(), f.receivedNanos()));
        }

        void close(boolean flush) {
            try {
                if (flush && decoder != null) {
                    decoder.flush(this::picture);
                }
                if (flush && audioTranscoder != null) {
                    audioTranscoder.flush(f -> publish(f, audioId));
                }
            } catch (RuntimeException e) {
                log.warn("{}: flushing the transcoder failed: {}", key, e.getMessage());
            } finally {
                if (decoder != null) {
                    decoder.close();
                }
                workers.forEach(w -> w.finish(flush));
                if (audioTranscoder != null) {
                    audioTranscoder.close();
                }
                timeline.clear();
            }
        }
    }
}
