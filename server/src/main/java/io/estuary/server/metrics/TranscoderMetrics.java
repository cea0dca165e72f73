package io.estuary.server.metrics;

import io.estuary.media.router.StreamKey;
import io.estuary.transcoder.RenditionStats;
import io.estuary.transcoder.TranscodeStats;
import io.estuary.transcoder.Transcoders;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Comparator;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Per-stream and per-rendition transcoder series, read at scrape time from the running sessions (nothing is
 * updated on the media path; a stream's series go with its session). Bounded like the stream series.
 */
final class TranscoderMetrics {

    private final Transcoders transcoders;
    private final int maxLabelled;

    TranscoderMetrics(PrometheusRegistry prometheus, Transcoders transcoders, int maxLabelled) {
        this.transcoders = transcoders;
        this.maxLabelled = maxLabelled;
        GaugeWithCallback.builder().name("estuary_transcoder_sessions")
                .help("Streams being transcoded now")
                .callback(cb -> cb.call(transcoders.active().size())).register(prometheus);
        GaugeWithCallback.builder().name("estuary_transcoder_speed_ratio")
                .help("Content seconds transcoded per second of work of the stream's busiest transcoding thread "
                        + "(decoding, or the slowest rendition's encoding): above 1, keeping up")
                .labelNames("app", "stream")
                .callback(cb -> eachStream(s -> cb.call(s.speed(), s.key().app(), s.key().name())))
                .register(prometheus);
        GaugeWithCallback.builder().name("estuary_transcoder_lag_seconds")
                .help("How long the latest source frame waited before the transcoder took it")
                .labelNames("app", "stream")
                .callback(cb -> eachStream(s -> cb.call(s.lagSeconds(), s.key().app(), s.key().name())))
                .register(prometheus);
        GaugeWithCallback.builder().name("estuary_transcoder_shedding_level")
                .help("Load shedding: 0 none; n the n most expensive renditions at half frame rate; "
                        + "renditions + 1 skipping source frames to the next keyframe")
                .labelNames("app", "stream")
                .callback(cb -> eachStream(s -> cb.call(s.sheddingLevel(), s.key().app(), s.key().name())))
                .register(prometheus);
        GaugeWithCallback.builder().name("estuary_transcoder_frames_per_second")
                .help("Frames per second put out, per rendition").labelNames("app", "stream", "rendition")
                .callback(cb -> eachRendition((k, r) -> cb.call(r.framesPerSecond(), k.app(), k.name(), r.name())))
                .register(prometheus);
        CounterWithCallback.builder().name("estuary_transcoder_frames_total")
                .help("Frames put out, per rendition").labelNames("app", "stream", "rendition")
                .callback(cb -> eachRendition((k, r) -> cb.call(r.frames(), k.app(), k.name(), r.name())))
                .register(prometheus);
        CounterWithCallback.builder().name("estuary_transcoder_encode_seconds_total")
                .help("Time spent scaling and encoding, per rendition (its rate: the cores the rendition keeps busy)")
                .labelNames("app", "stream", "rendition")
                .callback(cb -> eachRendition((k, r) -> cb.call(r.workSeconds(), k.app(), k.name(), r.name())))
                .register(prometheus);
        CounterWithCallback.builder().name("estuary_transcoder_dropped_frames_total")
                .help("Frames a rendition left out: shed under load or lost to an encoder error")
                .labelNames("app", "stream", "rendition")
                .callback(cb -> eachRendition((k, r) -> cb.call(r.droppedFrames(), k.app(), k.name(), r.name())))
                .register(prometheus);
    }

    private void eachStream(Consumer<TranscodeStats> visitor) {
        transcoders.active().stream().sorted(Comparator.comparing(TranscodeStats::key)).limit(maxLabelled)
                .forEach(visitor);
    }

    private void eachRendition(BiConsumer<StreamKey, RenditionStats> visitor) {
        eachStream(s -> s.renditions().forEach(r -> visitor.accept(s.key(), r)));
    }
}
