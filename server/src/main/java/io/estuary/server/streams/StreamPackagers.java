package io.estuary.server.streams;

import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamListener;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.Segmenter;
import io.estuary.packager.drm.DrmConfig;
import io.estuary.packager.drm.StreamProtection;
import io.estuary.packager.drm.keys.StreamKeys;
import io.estuary.packager.hls.HlsStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
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
    /** A player reloads its playlist at least every few seconds; one not seen for this long has left. */
    private static final long VIEWER_WINDOW_MILLIS = 10_000;

    private final PackagerConfig packagerConfig;
    private final StreamsConfig streamsConfig;
    private final Clock clock;
    private final StreamExecutors executors;
    private final ConcurrentHashMap<StreamKey, HlsStream> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    /** Sessions now live; the sweeper never drops a stream whose new session has not produced a part yet. */
    private final ConcurrentHashMap<StreamKey, LiveStream> liveSessions = new ConcurrentHashMap<>();
    private final LongConsumer partLatencyObserver;
    private final ViewerCounter viewers = new ViewerCounter(VIEWER_WINDOW_MILLIS);
    private final StreamKeys keys;

    public StreamPackagers(PackagerConfig packagerConfig, StreamsConfig streamsConfig, Clock clock) {
        this(packagerConfig, streamsConfig, clock, nanos -> { }, StreamKeys.create(DrmConfig.defaults()));
    }

    /**
     * @param partLatencyObserver told every part's ingest-to-available latency in nanoseconds (metrics)
     * @param keys                whether and how each stream is encrypted
     */
    public StreamPackagers(PackagerConfig packagerConfig, StreamsConfig streamsConfig, Clock clock,
            LongConsumer partLatencyObserver, StreamKeys keys) {
        this.partLatencyObserver = partLatencyObserver;
        this.keys = keys;
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

    /**
     * Packaging starts once the stream's protection is known: at once for clear streams and for generated or
     * static keys, after the key server's answer for CPIX (the session's first frames are then skipped up to the
     * next keyframe). A stream whose key cannot be had is never served in the clear: its publisher is dropped.
     */
    @Override
    public void onStreamStarted(LiveStream stream) {
        liveSessions.put(stream.key(), stream);
        keys.protectionFor(stream.key()).whenComplete((protection, error) -> {
            if (error != null) {
                log.error("{}: no content key, the stream is refused: {}", stream.key(), rootMessage(error));
                stream.drop("no content key for an encrypted stream");
                return;
            }
            startPackaging(stream, protection.orElse(null));
        });
    }

    private void startPackaging(LiveStream stream, StreamProtection protection) {
        HlsStream hls = streams.computeIfAbsent(stream.key(), k -> new HlsStream(k, packagerConfig, clock,
                partLatencyObserver));
        // Each session gets its own view of the HlsStream: after a takeover, the old session's late events
        // cannot end the new one.
        Segmenter segmenter = new Segmenter(packagerConfig, hls.openSession(), protection);
        stream.subscribe(segmenter, executors.forKey(stream.key()), streamsConfig.subscriberQueue());
        log.debug("{}: packaging for {}{}", stream.key(), stream.publisher(),
                protection == null ? "" : ", encrypted (" + protection.scheme().fourcc() + ")");
    }

    private static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    @Override
    public void onTracksChanged(LiveStream stream, List<TrackInfo> tracks) {
        log.info("{}: tracks {}", stream.key(), tracks.stream().map(t -> t.config().toString()).toList());
    }

    @Override
    public void onStreamStopped(LiveStream stream) {
        liveSessions.remove(stream.key(), stream);
        log.debug("{}: session of {} ended", stream.key(), stream.publisher());
    }

    public Optional<HlsStream> hls(StreamKey key) {
        return Optional.ofNullable(streams.get(key));
    }

    /** Every stream whose playlists are served: live ones, and ended ones within their idle timeout. */
    public Map<StreamKey, HlsStream> all() {
        return Map.copyOf(streams);
    }

    /** Who watches which stream (connections fetching its playlists). */
    public ViewerCounter viewers() {
        return viewers;
    }

    private void dropIdleStreams() {
        long now = clock.millis();
        viewers.sweep(now);
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
