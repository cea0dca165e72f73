package io.estuary.server.streams;

import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamListener;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.Segmenter;
import io.estuary.packager.hls.HlsStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages every live stream: when a publish session starts, a {@link Segmenter} subscribes to it on the
 * stream's pinned executor and feeds the stream's {@link HlsStream}. The HlsStream outlives the session, so a
 * republish under the same name continues the same playlists; it is dropped once the stream has been idle for
 * the packager's idle-timeout.
 */
public final class StreamPackagers implements StreamListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamPackagers.class);

    private final PackagerConfig packagerConfig;
    private final StreamsConfig streamsConfig;
    private final Clock clock;
    private final StreamExecutors executors;
    private final ConcurrentHashMap<StreamKey, HlsStream> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    /** Sessions now live; the sweeper never drops a stream whose new session has not produced a part yet. */
    private final ConcurrentHashMap<StreamKey, LiveStream> liveSessions = new ConcurrentHashMap<>();

    public StreamPackagers(PackagerConfig packagerConfig, StreamsConfig streamsConfig, Clock clock) {
        this.packagerConfig = packagerConfig;
        this.streamsConfig = streamsConfig;
        this.clock = clock;
        this.executors = new StreamExecutors(streamsConfig.workerThreads());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stream-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::dropIdleStreams, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void onStreamStarted(LiveStream stream) {
        liveSessions.put(stream.key(), stream);
        HlsStream hls = streams.computeIfAbsent(stream.key(), k -> new HlsStream(k, packagerConfig, clock));
        Segmenter segmenter = new Segmenter(packagerConfig, hls);
        stream.subscribe(segmenter, executors.forKey(stream.key()), streamsConfig.subscriberQueue());
        log.info("{}: publishing started by {}", stream.key(), stream.publisher());
    }

    @Override
    public void onTracksChanged(LiveStream stream, List<TrackInfo> tracks) {
        log.info("{}: tracks {}", stream.key(), tracks.stream().map(t -> t.config().toString()).toList());
    }

    @Override
    public void onStreamStopped(LiveStream stream) {
        liveSessions.remove(stream.key(), stream);
        log.info("{}: publishing stopped ({} frames, {} bytes received)", stream.key(), stream.framesReceived(),
                stream.bytesReceived());
    }

    public Optional<HlsStream> hls(StreamKey key) {
        return Optional.ofNullable(streams.get(key));
    }

    private void dropIdleStreams() {
        long now = clock.millis();
        long timeout = packagerConfig.idleTimeout().toMillis();
        for (StreamKey key : streams.keySet()) {
            // Atomic per key with computeIfAbsent in onStreamStarted: a republish racing the sweep either
            // finds the old HlsStream kept (its session is registered first) or creates a fresh one.
            streams.computeIfPresent(key, (k, hls) -> {
                long idleSince = hls.idleSinceMillis();
                if (idleSince < 0 || liveSessions.containsKey(k) || now - idleSince < timeout) {
                    return hls;
                }
                hls.cancelWaiters();
                log.info("{}: no republish within {}s, playlists removed", k, timeout / 1000);
                return null;
            });
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        streams.values().forEach(HlsStream::cancelWaiters);
        executors.close();
    }
}
