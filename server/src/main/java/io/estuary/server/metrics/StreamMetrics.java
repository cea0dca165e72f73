package io.estuary.server.metrics;

import io.estuary.media.frame.MediaType;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.media.router.TrackStats;
import io.estuary.packager.hls.HlsStream;
import io.estuary.server.streams.StreamPackagers;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-stream series, read at scrape time from the live sessions and the packagers (callbacks: nothing is
 * updated on the media path, and a stream's series vanish with it instead of lingering until a restart).
 * At most {@code maxLabelled} streams get series, in key order, so label cardinality stays bounded.
 */
final class StreamMetrics {
    private final StreamRegistry registry;
    private final StreamPackagers packagers;
    private final int maxLabelled;

    StreamMetrics(PrometheusRegistry prometheus, StreamRegistry registry, StreamPackagers packagers,
            int maxLabelled) {
        this.registry = registry;
        this.packagers = packagers;
        this.maxLabelled = maxLabelled;
        GaugeWithCallback.builder().name("estuary_streams_live").help("Streams being published now")
                .callback(cb -> cb.call(registry.streams().size())).register(prometheus);
        GaugeWithCallback.builder().name("estuary_metrics_unlabelled_streams")
                .help("Live streams without per-stream series (beyond estuary.metrics.max-labelled-streams)")
                .callback(cb -> cb.call(Math.max(0, registry.streams().size() - maxLabelled))).register(prometheus);
        registerIngest(prometheus);
        registerPackager(prometheus);
    }

    private void registerIngest(PrometheusRegistry prometheus) {
        CounterWithCallback.builder().name("estuary_ingest_received_bytes_total")
                .help("Media payload bytes received from the publisher, per track").labelNames("app", "stream", "track")
                .callback(cb -> eachTrack((s, t) -> cb.call(t.bytes(), app(s), name(s), track(t))))
                .register(prometheus);
        CounterWithCallback.builder().name("estuary_ingest_received_frames_total")
                .help("Frames received from the publisher, per track").labelNames("app", "stream", "track")
                .callback(cb -> eachTrack((s, t) -> cb.call(t.frames(), app(s), name(s), track(t))))
                .register(prometheus);
        CounterWithCallback.builder().name("estuary_ingest_dropped_frames_total")
                .help("Frames dropped because a consumer (packager) fell behind the publisher")
                .labelNames("app", "stream")
                .callback(cb -> eachLive(s -> cb.call(s.droppedFrames(), app(s), name(s))))
                .register(prometheus);
        GaugeWithCallback.builder().name("estuary_ingest_keyframe_interval_seconds")
                .help("Media time between the last two video keyframes (GOP length)").labelNames("app", "stream")
                .callback(cb -> eachTrack((s, t) -> {
                    if (t.info().type() == MediaType.VIDEO && !Double.isNaN(t.keyframeIntervalSeconds())) {
                        cb.call(t.keyframeIntervalSeconds(), app(s), name(s));
                    }
                }))
                .register(prometheus);
        GaugeWithCallback.builder().name("estuary_ingest_publisher_connected")
                .help("1 while a publisher is connected to the stream").labelNames("app", "stream", "protocol")
                .callback(cb -> eachLive(s -> cb.call(1, app(s), name(s), s.publisher().protocol())))
                .register(prometheus);
    }

    private void registerPackager(PrometheusRegistry prometheus) {
        CounterWithCallback.builder().name("estuary_packager_parts_total")
                .help("CMAF parts (LL-HLS partial segments) produced, all tracks").labelNames("app", "stream")
                .callback(cb -> eachPackaged((k, h) -> cb.call(h.partsProduced(), k.app(), k.name())))
                .register(prometheus);
        CounterWithCallback.builder().name("estuary_packager_segments_total")
                .help("CMAF segments completed, all tracks").labelNames("app", "stream")
                .callback(cb -> eachPackaged((k, h) -> cb.call(h.segmentsProduced(), k.app(), k.name())))
                .register(prometheus);
        GaugeWithCallback.builder().name("estuary_packager_window_bytes")
                .help("Media bytes held in memory for the stream's live window").labelNames("app", "stream")
                .callback(cb -> eachPackaged((k, h) -> cb.call(h.windowBytes(), k.app(), k.name())))
                .register(prometheus);
        GaugeWithCallback.builder().name("estuary_stream_viewers")
                .help("Distinct clients (address and User-Agent) that reloaded a playlist in the last 10 s")
                .labelNames("app", "stream")
                .callback(cb -> {
                    long now = System.currentTimeMillis();
                    eachPackaged((k, h) -> cb.call(packagers.viewers().viewers(k, now), k.app(), k.name()));
                })
                .register(prometheus);
    }

    private interface TrackVisitor {
        void visit(LiveStream stream, TrackStats track);
    }

    private interface PackagedVisitor {
        void visit(StreamKey key, HlsStream hls);
    }

    private List<LiveStream> labelledLive() {
        return registry.streams().stream().sorted(Comparator.comparing(LiveStream::key))
                .limit(maxLabelled).toList();
    }

    private void eachLive(java.util.function.Consumer<LiveStream> visitor) {
        labelledLive().forEach(visitor);
    }

    private void eachTrack(TrackVisitor visitor) {
        for (LiveStream s : labelledLive()) {
            for (TrackStats t : s.trackStats()) {
                visitor.visit(s, t);
            }
        }
    }

    private void eachPackaged(PackagedVisitor visitor) {
        packagers.all().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .limit(maxLabelled).forEach(e -> visitor.visit(e.getKey(), e.getValue()));
    }

    private static String app(LiveStream s) {
        return s.key().app();
    }

    private static String name(LiveStream s) {
        return s.key().name();
    }

    private static String track(TrackStats t) {
        return t.info().type().name().toLowerCase(Locale.ROOT);
    }
}
