package io.estuary.transcoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.transcoder.ffmpeg.SourceClip;
import io.estuary.transcoder.ffmpeg.TestAudio;
import io.estuary.transcoder.ladder.Ladder;
import io.estuary.transcoder.ladder.RungSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A transcoding session with real FFmpeg, fed as the router would feed it, its output recorded. */
class TranscodeSessionTest {

    static final StreamKey KEY = new StreamKey("live", "t");
    static final TranscoderConfig CONFIG = TranscoderConfig.from(ConfigFactory.defaultReference())
            .withDefaultKeyframeInterval(Duration.ofSeconds(2));
    static SourceClip clip;

    @BeforeAll
    static void makeSource() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        clip = SourceClip.make(640, 360, 120, 45); // 4 s, keyframes every 1.5 s
    }

    static final class Recorder implements StreamSubscriber {
        final List<List<TrackInfo>> tracks = new ArrayList<>();
        final List<MediaFrame> frames = new ArrayList<>();
        boolean ended;

        @Override
        public void onTracks(List<TrackInfo> t) {
            tracks.add(t);
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frames.add(frame);
        }

        @Override
        public void onEnd() {
            ended = true;
        }

        Map<Integer, List<MediaFrame>> byTrack() {
            Map<Integer, List<MediaFrame>> m = new TreeMap<>();
            frames.forEach(f -> m.computeIfAbsent(f.trackId(), k -> new ArrayList<>()).add(f));
            return m;
        }
    }

    static Recorder run(Ladder ladder, List<TrackInfo> tracks, List<MediaFrame> frames) {
        LiveStream output = new StreamRegistry().publishReplacing(KEY, new PublisherInfo("rtmp", "h", 1, null),
                r -> { });
        Recorder recorder = new Recorder();
        output.subscribe(recorder, Runnable::run, 100_000);
        AtomicBoolean closed = new AtomicBoolean();
        TranscodeSession session = new TranscodeSession(KEY, CONFIG, ladder, output, new TranscodeStats(KEY),
                () -> closed.set(true));
        session.onTracks(tracks);
        frames.forEach(session::onFrame);
        session.onEnd();
        assertTrue(closed.get(), "closed");
        assertTrue(recorder.ended, "output ended");
        return recorder;
    }

    @Test
    void everyRungKeysWhereTheSourceKeysAndKeepsItsTimestamps() {
        Recorder r = run(CONFIG.topLevel().ladder(), List.of(clip.video(), clip.audio()), clip.interleaved());
        List<TrackInfo> out = r.tracks.get(0);
        assertEquals(List.of("source", "360p", "240p"), out.stream().filter(t -> t.type() == MediaType.VIDEO)
                .map(TrackInfo::label).toList());
        assertSame(clip.video().config(), out.get(0).config());
        AvcConfig p240 = (AvcConfig) out.get(2).config();
        assertEquals(426, p240.width());
        assertEquals(240, p240.height());
        TrackInfo audio = out.get(3);
        assertNull(audio.label());
        AacConfig aac = assertInstanceOf(AacConfig.class, audio.config());
        assertEquals(48_000, aac.sampleRate());
        assertEquals(2, aac.channels());

        TreeSet<Long> sourceKeys = new TreeSet<>();
        clip.videoFrames().stream().filter(MediaFrame::keyframe).forEach(f -> sourceKeys.add(f.pts()));
        List<Long> sourceDts = clip.videoFrames().stream().map(MediaFrame::dts).toList();
        Map<Integer, List<MediaFrame>> byTrack = r.byTrack();
        for (TrackInfo t : out.subList(0, 3)) {
            List<MediaFrame> frames = byTrack.get(t.trackId());
            assertEquals(clip.videoFrames().size(), frames.size(), t.label());
            TreeSet<Long> keys = new TreeSet<>();
            frames.stream().filter(MediaFrame::keyframe).forEach(f -> keys.add(f.pts()));
            assertEquals(sourceKeys, keys, t.label() + " keyframes");
            assertEquals(sourceDts, frames.stream().map(MediaFrame::dts).toList(), t.label() + " decode times");
        }
        List<MediaFrame> audioOut = byTrack.get(audio.trackId());
        assertTrue(audioOut.size() >= 4 * 48_000 / 1024 - 2, "audio frames " + audioOut.size());
        for (int i = 1; i < audioOut.size(); i++) {
            assertEquals(1024, audioOut.get(i).dts() - audioOut.get(i - 1).dts());
        }
    }

    @Test
    void withoutTheSourceEveryRungKeysEachKeyframeInterval() {
        Ladder ladder = new Ladder(List.of(RungSpec.of("360p", 360, 800_000), RungSpec.of("180p", 180, 200_000)));
        Recorder r = run(ladder, List.of(clip.video()), clip.videoFrames());
        for (List<MediaFrame> frames : r.byTrack().values()) {
            List<Long> keys = frames.stream().filter(MediaFrame::keyframe).map(MediaFrame::pts).toList();
            assertEquals(List.of(0L, 180_000L), keys, "a keyframe every 2 s of a 4 s source");
        }
    }

    @Test
    void aLadderOfTheSourceAloneRelaysAacAndVideoUntouched() {
        Ladder alone = new Ladder(List.of(RungSpec.source("source")));
        Recorder r = run(alone, List.of(clip.video(), clip.audio()), clip.interleaved());
        List<TrackInfo> out = r.tracks.get(0);
        assertEquals(2, out.size());
        assertNull(out.get(0).label(), "one video track keeps the default name");
        assertSame(clip.audio().config(), out.get(1).config());
        assertEquals(clip.videoFrames().size() + clip.audioFrames().size(), r.frames.size());
    }

    @Test
    void opusAudioBecomesAacEvenWithoutVideoRungs() {
        TestAudio.Encoded opus = TestAudio.tone("libopus", 48_000, 2, 1000, 2, 0);
        TrackInfo track = TrackInfo.audio(2, OpusConfig.parse(opus.extradata()));
        Recorder r = run(new Ladder(List.of(RungSpec.source("source"))), List.of(track), opus.frames());
        TrackInfo out = r.tracks.get(0).get(0);
        assertInstanceOf(AacConfig.class, out.config());
        assertFalse(r.frames.isEmpty());
        assertTrue(r.frames.stream().allMatch(f -> f.trackId() == out.trackId() && f.type() == MediaType.AUDIO));
    }

    /**
     * Behind real time (every frame waited 2 s, over the 1 s max-lag), the session sheds a step a second: the
     * costlier rung (360p) goes to half rate first, then 240p. Every frame is either put out or counted as dropped,
     * and every rung still keys exactly where the source does, so segments stay aligned while shedding.
     */
    @Test
    void behindRealTimeTheCostliestRungShedsFirstAndEveryDropIsCounted() throws InterruptedException {
        LiveStream output = new StreamRegistry().publishReplacing(KEY, new PublisherInfo("rtmp", "h", 1, null),
                r -> { });
        Recorder recorder = new Recorder();
        output.subscribe(recorder, Runnable::run, 100_000);
        TranscodeStats stats = new TranscodeStats(KEY);
        TranscodeSession session = new TranscodeSession(KEY, CONFIG, CONFIG.topLevel().ladder(), output, stats,
                () -> { });
        session.onTracks(List.of(clip.video()));
        int maxLevel = 0;
        for (MediaFrame f : clip.videoFrames()) {
            // Paced at 25 ms a frame, so that the 120 frames span three of the shedder's one-second steps.
            Thread.sleep(25);
            session.onFrame(new MediaFrame(f.trackId(), f.type(), f.dts(), f.compositionOffset(), f.keyframe(),
                    f.data(), f.wallClockMillis(), System.nanoTime() - 2_000_000_000L));
            maxLevel = Math.max(maxLevel, stats.sheddingLevel());
        }
        session.onEnd();

        assertTrue(maxLevel >= 2, "shedding level reached " + maxLevel);
        Map<String, RenditionStats> byName = new TreeMap<>();
        stats.renditions().forEach(r -> byName.put(r.name(), r));
        RenditionStats p360 = byName.get("360p");
        RenditionStats p240 = byName.get("240p");
        assertTrue(p360.droppedFrames() > p240.droppedFrames() && p240.droppedFrames() > 0,
                "dropped: 360p " + p360.droppedFrames() + ", 240p " + p240.droppedFrames());
        TreeSet<Long> sourceKeys = new TreeSet<>();
        clip.videoFrames().stream().filter(MediaFrame::keyframe).forEach(f -> sourceKeys.add(f.pts()));
        Map<Integer, List<MediaFrame>> byTrack = recorder.byTrack();
        for (TrackInfo t : recorder.tracks.get(0)) {
            if (t.label().equals("source")) {
                continue;
            }
            RenditionStats rs = byName.get(t.label());
            List<MediaFrame> frames = byTrack.get(t.trackId());
            assertEquals(clip.videoFrames().size(), frames.size() + rs.droppedFrames(), t.label() + ": out + dropped");
            assertEquals(frames.size(), rs.frames(), t.label() + " frames counted");
            TreeSet<Long> keys = new TreeSet<>();
            frames.stream().filter(MediaFrame::keyframe).forEach(f -> keys.add(f.pts()));
            assertEquals(sourceKeys, keys, t.label() + " keyframes while shedding");
        }
    }

    /**
     * A publisher that drops its resolution but keeps its shape (as a browser does under load) keeps its
     * renditions, sizes and names, so players' playlists stay true; the source rendition follows the new size, and
     * every rung starts the new source with a keyframe where the source's is. A new shape resolves the ladder again.
     */
    @Test
    void aSmallerSourceOfTheSameShapeKeepsTheRenditionsAndANewShapeResolvesThemAgain() {
        SourceClip smaller = SourceClip.make(320, 180, 60, 30);
        SourceClip portrait = SourceClip.make(360, 640, 30, 30);
        List<MediaFrame> frames = new ArrayList<>(clip.videoFrames());
        List<MediaFrame> second = shifted(smaller.videoFrames(), 4 * 90_000L);
        List<MediaFrame> third = shifted(portrait.videoFrames(), 6 * 90_000L);
        LiveStream output = new StreamRegistry().publishReplacing(KEY, new PublisherInfo("rtmp", "h", 1, null),
                r -> { });
        Recorder recorder = new Recorder();
        output.subscribe(recorder, Runnable::run, 100_000);
        TranscodeSession session = new TranscodeSession(KEY, CONFIG, CONFIG.topLevel().ladder(), output,
                new TranscodeStats(KEY), () -> { });
        session.onTracks(List.of(clip.video()));
        frames.forEach(session::onFrame);
        session.onTracks(List.of(smaller.video()));
        second.forEach(session::onFrame);
        session.onTracks(List.of(portrait.video()));
        third.forEach(session::onFrame);
        session.onEnd();

        assertEquals(3, recorder.tracks.size());
        assertEquals(List.of("source 640x360", "360p 640x360", "240p 426x240"), sizes(recorder.tracks.get(0)));
        assertEquals(List.of("source 320x180", "360p 640x360", "240p 426x240"), sizes(recorder.tracks.get(1)),
                "the same renditions for a smaller source of the same shape");
        assertEquals(List.of("source 360x640", "480p 270x480", "360p 202x360", "240p 136x240"),
                sizes(recorder.tracks.get(2)),
                "a new shape resolves the ladder again");
        // Every rendition's first frame from the smaller source is a keyframe at the source's first frame.
        long changeDts = second.get(0).dts();
        Map<Integer, List<MediaFrame>> byTrack = recorder.byTrack();
        for (TrackInfo t : recorder.tracks.get(1)) {
            MediaFrame first = byTrack.get(t.trackId()).stream()
                    .filter(f -> f.dts() >= changeDts && f.dts() < third.get(0).dts()).findFirst().orElseThrow();
            assertEquals(changeDts, first.dts(), t.label());
            assertTrue(first.keyframe(), "keyframe at the change in " + t.label());
        }
    }

    private static List<MediaFrame> shifted(List<MediaFrame> frames, long ticks) {
        return frames.stream().map(f -> new MediaFrame(f.trackId(), f.type(), f.dts() + ticks, f.compositionOffset(),
                f.keyframe(), f.data(), f.wallClockMillis() + ticks / 90, f.receivedNanos())).toList();
    }

    private static List<String> sizes(List<TrackInfo> tracks) {
        return tracks.stream().filter(t -> t.type() == MediaType.VIDEO).map(t -> {
            AvcConfig avc = (AvcConfig) t.config();
            return t.label() + " " + avc.width() + "x" + avc.height();
        }).toList();
    }
}
