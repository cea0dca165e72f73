package io.estuary.media.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StreamRegistryTest {
    private static final StreamKey KEY = new StreamKey("live", "demo");
    private static final TrackInfo AUDIO =
            TrackInfo.audio(2, AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(48000, 2)));

    /** An executor that runs tasks only when asked: a subscriber that has fallen behind. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    private static final class Recorder implements StreamSubscriber {
        final List<Object> events = new ArrayList<>();

        @Override
        public void onTracks(List<TrackInfo> tracks) {
            events.add(tracks);
        }

        @Override
        public void onFrame(MediaFrame frame) {
            events.add(frame.dts());
        }

        @Override
        public void onEnd() {
            events.add("end");
        }
    }

    private static MediaFrame frame(MediaType type, long dts, boolean key) {
        return new MediaFrame(type == MediaType.VIDEO ? 1 : 2, type, dts, 0, key, new byte[10], 0, 0);
    }

    private static PublisherInfo publisher(String host, String key) {
        return new PublisherInfo("rtmp", host, 5000, key);
    }

    @Test
    void aLiveNameIsRefusedToAnotherPublisher() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        registry.publish(KEY, publisher("10.0.0.1", "s1"), reason -> { });
        assertThrows(StreamBusyException.class, () -> registry.publish(KEY, publisher("10.0.0.2", "other"), reason -> { }));
        assertThrows(StreamBusyException.class, () -> registry.publish(KEY, publisher("10.0.0.1", null), reason -> { }));
    }

    @Test
    void theSamePublisherWithTheSameKeyTakesItsStreamOver() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        AtomicBoolean evicted = new AtomicBoolean();
        LiveStream first = registry.publish(KEY, publisher("10.0.0.1", "s1"), reason -> evicted.set(true));
        LiveStream second = registry.publish(KEY, publisher("10.0.0.9", "s1"), reason -> { });
        assertTrue(evicted.get());
        assertFalse(first.isLive());
        assertSame(second, registry.get(KEY).orElseThrow());
        first.end(); // the old connection closing later must not remove the new session
        assertSame(second, registry.get(KEY).orElseThrow());
    }

    @Test
    void aReplacingPublishEndsWhateverSessionIsLive() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        AtomicBoolean dropped = new AtomicBoolean();
        LiveStream first = registry.publish(KEY, publisher("10.0.0.1", "s1"), reason -> dropped.set(true));
        LiveStream second = registry.publishReplacing(KEY, publisher("10.0.0.2", "other"), reason -> { });
        assertTrue(dropped.get());
        assertFalse(first.isLive());
        assertSame(second, registry.get(KEY).orElseThrow());
        first.end();
        assertSame(second, registry.get(KEY).orElseThrow());
    }

    @Test
    void withOpenPublishingOnlyTheSameHostMayTakeOver() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        registry.publish(KEY, publisher("10.0.0.1", null), reason -> { });
        assertThrows(StreamBusyException.class, () -> registry.publish(KEY, publisher("10.0.0.2", null), reason -> { }));
        registry.publish(KEY, publisher("10.0.0.1", null), reason -> { });
    }

    @Test
    void aSlowSubscriberDropsToTheNextKeyframeAndCountsWithoutStallingThePublisher() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        LiveStream stream = registry.publish(KEY, publisher("h", null), reason -> { });
        ManualExecutor slow = new ManualExecutor();
        Recorder recorder = new Recorder();
        Subscription sub = stream.subscribe(recorder, slow, 3);
        stream.updateTracks(List.of(AUDIO));
        stream.publish(frame(MediaType.VIDEO, 0, true));
        stream.publish(frame(MediaType.VIDEO, 1, false));
        stream.publish(frame(MediaType.VIDEO, 2, false));
        stream.publish(frame(MediaType.VIDEO, 3, false)); // queue full: dropped, and so is all up to a keyframe
        stream.publish(frame(MediaType.VIDEO, 4, false));
        assertEquals(2, sub.droppedFrames());
        slow.runAll();
        stream.publish(frame(MediaType.VIDEO, 5, false)); // still waiting for a keyframe
        stream.publish(frame(MediaType.VIDEO, 6, true));
        stream.publish(frame(MediaType.VIDEO, 7, false));
        stream.end();
        slow.runAll();
        assertEquals(3, sub.droppedFrames());
        assertEquals(List.of(List.of(AUDIO), 0L, 1L, 2L, 6L, 7L, "end"), recorder.events);
    }

    @Test
    void lifecycleEventsReachListenersOnceAndStopFreesTheName() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        List<String> events = new ArrayList<>();
        registry.addListener(new StreamListener() {
            @Override
            public void onStreamStarted(LiveStream stream) {
                events.add("started");
            }

            @Override
            public void onTracksChanged(LiveStream stream, List<TrackInfo> tracks) {
                events.add("tracks " + tracks.size());
            }

            @Override
            public void onStreamStopped(LiveStream stream) {
                events.add("stopped");
            }
        });
        LiveStream stream = registry.publish(KEY, publisher("h", "k"), reason -> { });
        stream.updateTracks(List.of(AUDIO));
        stream.updateTracks(List.of(AUDIO)); // unchanged: no event
        stream.end();
        stream.end();
        stream.updateTracks(List.of()); // after the end: ignored
        assertEquals(List.of("started", "tracks 1", "stopped"), events);
        assertTrue(registry.get(KEY).isEmpty());
        registry.publish(KEY, publisher("other", "x"), reason -> { });
    }
}
