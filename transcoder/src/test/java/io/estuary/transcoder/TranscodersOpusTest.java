package io.estuary.transcoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamListener;
import io.estuary.media.router.StreamRegistry;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.transcoder.ffmpeg.SourceClip;
import io.estuary.transcoder.ffmpeg.TestAudio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A WebRTC-like stream (H.264 and Opus) through {@link Transcoders} with the transcoder off: the video is relayed
 * untouched and the Opus becomes AAC on a thread of its own, in line with the video; with opus-passthrough, Opus
 * stays Opus, in relay and in ABR mode.
 */
class TranscodersOpusTest {

    static final StreamKey KEY = new StreamKey("live", "whip");
    /** Both tracks start 1 s into the session, as after a WebRTC publisher's first second. */
    static final long START_90K = 90_000;
    static final long START_48K = 48_000;

    static SourceClip clip;
    static TestAudio.Encoded opus;
    static TrackInfo videoTrack;
    static TrackInfo opusTrack;
    static List<MediaFrame> videoFrames;

    @BeforeAll
    static void makeSource() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        clip = SourceClip.make(320, 180, 60, 30); // 2 s at 30 fps, keyframes every second
        videoTrack = clip.video();
        videoFrames = clip.videoFrames().stream().map(f -> new MediaFrame(f.trackId(), f.type(), f.dts() + START_90K,
                f.compositionOffset(), f.keyframe(), f.data(), f.wallClockMillis(), f.receivedNanos())).toList();
        opus = TestAudio.tone("libopus", 48_000, 2, 1000, 2.0, START_48K);
        opusTrack = TrackInfo.audio(2, OpusConfig.parse(opus.extradata()));
    }

    static TranscoderConfig config(String hocon) {
        return TranscoderConfig.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference())
                .resolve()).withDefaultKeyframeInterval(Duration.ofSeconds(2));
    }

    /** What reaches the packager: every call, and the thread it came on. */
    static final class Output implements StreamSubscriber, StreamListener {
        final List<List<TrackInfo>> tracks = new ArrayList<>();
        final List<MediaFrame> frames = new ArrayList<>();
        final List<Thread> frameThreads = new ArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void onStreamStarted(LiveStream stream) {
            stream.subscribe(this, Runnable::run, 100_000);
        }

        @Override
        public synchronized void onTracks(List<TrackInfo> t) {
            tracks.add(t);
        }

        @Override
        public synchronized void onFrame(MediaFrame frame) {
            frames.add(frame);
            frameThreads.add(Thread.currentThread());
        }

        @Override
        public void onEnd() {
            ended.countDown();
        }

        synchronized List<MediaFrame> of(int trackId) {
            return frames.stream().filter(f -> f.trackId() == trackId).toList();
        }
    }

    /** Publishes the tracks' frames in time order, as ingest would, and waits for the output to end. */
    static Output run(TranscoderConfig config, List<TrackInfo> tracks, List<MediaFrame> video,
            List<MediaFrame> audio, int audioRate) throws InterruptedException {
        StreamRegistry ingest = new StreamRegistry();
        StreamRegistry outputs = new StreamRegistry();
        Output output = new Output();
        outputs.addListener(output);
        ingest.addListener(new Transcoders(config, outputs));
        LiveStream source = ingest.publishReplacing(KEY, new PublisherInfo("whip", "h", 1, null), r -> { });
        source.updateTracks(tracks);
        List<MediaFrame> all = new ArrayList<>(video);
        all.addAll(audio);
        all.sort(Comparator.comparingDouble(f -> f.type() == MediaType.VIDEO ? f.dts() / 90_000.0
                : f.dts() / (double) audioRate));
        all.forEach(source::publish);
        source.end();
        assertTrue(output.ended.await(30, TimeUnit.SECONDS), "the output ended");
        return output;
    }

    @Test
    void withTheTranscoderOffOpusBecomesAacInLineWithTheUntouchedVideo() throws InterruptedException {
        Output out = run(config("estuary.transcoder.enabled = false"), List.of(videoTrack, opusTrack), videoFrames,
                opus.frames(), 48_000);

        List<TrackInfo> tracks = out.tracks.get(out.tracks.size() - 1);
        assertEquals(1, out.tracks.size(), "one track list: " + out.tracks);
        assertSame(videoTrack, tracks.get(0), "the video track as it came");
        TrackInfo audio = tracks.get(1);
        assertEquals(opusTrack.trackId(), audio.trackId(), "the AAC keeps the Opus track's id");
        AacConfig aac = assertInstanceOf(AacConfig.class, audio.config());
        assertEquals(2, aac.parsed().objectType(), "AAC-LC");
        assertEquals(48_000, aac.sampleRate());
        assertEquals(2, aac.channels());
        assertEquals(48_000, audio.timescale());

        List<MediaFrame> videoOut = out.of(videoTrack.trackId());
        assertEquals(videoFrames.size(), videoOut.size());
        for (int i = 0; i < videoFrames.size(); i++) {
            assertSame(videoFrames.get(i), videoOut.get(i), "video frame " + i + " untouched");
        }
        assertTrue(out.frameThreads.stream().allMatch(t -> t.getName().startsWith("audio-transcode-live/whip")),
                "everything goes out on the audio transcoder's thread, in order");

        List<MediaFrame> aacOut = out.of(audio.trackId());
        assertTrue(aacOut.stream().allMatch(f -> f.type() == MediaType.AUDIO && f.keyframe()));
        for (int i = 1; i < aacOut.size(); i++) {
            assertEquals(1024, aacOut.get(i).dts() - aacOut.get(i - 1).dts(), "AAC frame " + i);
        }
        List<MediaFrame> opusIn = opus.frames();
        long firstOpus = opusIn.get(0).dts();
        long lastOpusEnd = opusIn.get(opusIn.size() - 1).dts() + 960;
        long firstAac = aacOut.get(0).dts();
        long lastAacEnd = aacOut.get(aacOut.size() - 1).dts() + 1024;
        System.out.printf("opus %d..%d -> aac %d..%d (%d frames); video from %d/90k%n", firstOpus, lastOpusEnd,
                firstAac, lastAacEnd, aacOut.size(), videoFrames.get(0).dts());
        // Aligned within one AAC frame at the start (the priming frame is stamped one frame before the first
        // sample), and covering the input at the end (plus the encoder's last, padded frame).
        assertTrue(Math.abs(firstAac - firstOpus) <= 1024, "first AAC at " + firstAac + ", Opus at " + firstOpus);
        assertTrue(lastAacEnd >= lastOpusEnd && lastAacEnd - lastOpusEnd <= 2 * 1024,
                "AAC ends at " + lastAacEnd + ", Opus at " + lastOpusEnd);
        // The Opus decoder drops the pre-skip, so the first sample heard is at firstOpus + preSkip: the tone's
        // start, the same second as the video's. The AAC frame after the priming one carries it, stamped exactly so.
        int preSkip = ((OpusConfig) opusTrack.config()).preSkip();
        assertEquals(START_48K, firstOpus + preSkip);
        assertEquals(START_48K, aacOut.get(1).dts(), "the first sample is heard with the first video frame");

        float[][] pcm = TestAudio.decodeAac(aac.audioSpecificConfig(), aacOut);
        double seconds = pcm[0].length / 48_000.0;
        double hz = TestAudio.frequency(pcm[0], 4096, pcm[0].length - 4096, 48_000);
        System.out.printf("decoded %.3f s of AAC, tone %.1f Hz%n", seconds, hz);
        assertEquals(2.0, seconds, 0.1);
        assertEquals(1000, hz, 10, "the tone survived Opus -> AAC");
        assertTrue(TestAudio.rms(pcm[1], 4096, pcm[1].length - 4096) > 0.1, "both channels carry it");
    }

    @Test
    void withOpusPassthroughTheRelayLeavesOpusAloneOnThePublishersThread() throws InterruptedException {
        Output out = run(config("estuary.transcoder { enabled = false, audio.opus-passthrough = true }"),
                List.of(videoTrack, opusTrack), videoFrames, opus.frames(), 48_000);
        assertEquals(List.of(List.of(videoTrack, opusTrack)), out.tracks);
        assertEquals(opus.frames(), out.of(opusTrack.trackId()));
        assertEquals(videoFrames, out.of(videoTrack.trackId()));
        Thread publisher = Thread.currentThread();
        assertTrue(out.frameThreads.stream().allMatch(t -> t == publisher));
    }

    @Test
    void aacStreamsAreStillRelayedOnThePublishersThread() throws InterruptedException {
        Output out = run(config("estuary.transcoder.enabled = false"), List.of(clip.video(), clip.audio()),
                clip.videoFrames(), clip.audioFrames(), 44_100);
        assertEquals(List.of(List.of(clip.video(), clip.audio())), out.tracks);
        assertEquals(clip.videoFrames().size() + clip.audioFrames().size(), out.frames.size());
        Thread publisher = Thread.currentThread();
        assertTrue(out.frameThreads.stream().allMatch(t -> t == publisher));
    }

    @Test
    void inAbrModeWithOpusPassthroughTheRenditionsShareTheOpusTrack() throws InterruptedException {
        TranscoderConfig c = config("estuary.transcoder { audio.opus-passthrough = true, ladder = [ "
                + "{ name = source, passthrough = true }, { name = low, height = 90, bitrate = 100k } ] }");
        Output out = run(c, List.of(videoTrack, opusTrack), videoFrames, opus.frames(), 48_000);
        List<TrackInfo> tracks = out.tracks.get(out.tracks.size() - 1);
        assertEquals(List.of("source", "low"), tracks.stream().filter(t -> t.type() == MediaType.VIDEO)
                .map(TrackInfo::label).toList());
        TrackInfo audio = tracks.get(2);
        assertSame(opusTrack.config(), audio.config(), "Opus as it came, one track for both renditions");
        List<MediaFrame> opusOut = out.of(audio.trackId());
        assertEquals(opus.frames().stream().map(MediaFrame::dts).toList(),
                opusOut.stream().map(MediaFrame::dts).toList());
        for (int i = 0; i < opusOut.size(); i++) {
            assertSame(opus.frames().get(i).data(), opusOut.get(i).data(), "packet " + i + " untouched");
        }
        assertNotEquals(0, out.of(tracks.get(1).trackId()).size(), "the low rendition was encoded");
    }

    @Test
    void theDefaultTranscodesOpus() {
        assertFalse(config("").audio().opusPassthrough());
        assertTrue(config("estuary.transcoder.audio.opus-passthrough = true").audio().opusPassthrough());
    }
}
