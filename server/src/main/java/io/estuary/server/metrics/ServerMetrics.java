package io.estuary.server.metrics;

import io.estuary.media.router.StreamRegistry;
import io.estuary.protocols.rtmp.RtmpListener;
import io.estuary.protocols.whip.WhipService;
import io.estuary.server.http.HttpObserver;
import io.estuary.server.streams.StreamPackagers;
import io.estuary.transcoder.Transcoders;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.LongConsumer;

/**
 * Every metric of the server, in one registry of its own (not the client's global default, so two servers in
 * one JVM, as in tests, never share series). Created before the components it observes: they are handed its
 * observers ({@link #http()}, {@link #rtmp()}, {@link #partLatencyObserver()}), and the per-stream callbacks are
 * bound once the registry and packagers exist ({@link #bindStreams}).
 */
public final class ServerMetrics {
    /** Ingest-to-part latency sits near the part target (500 ms by default); the buckets resolve around it. */
    private static final double[] PART_LATENCY_BUCKETS =
            {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 1, 1.5, 2, 3, 5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final MetricsConfig config;
    private final HttpMetrics http;
    private final RtmpMetrics rtmp;
    private final Histogram partLatency;

    public ServerMetrics(MetricsConfig config, String version) {
        this.config = config;
        JvmMetrics.builder().register(registry);
        GaugeWithCallback.builder().name("estuary_build_info").help("The running version (always 1)")
                .labelNames("version").callback(cb -> cb.call(1, version)).register(registry);
        registerAllocator();
        http = new HttpMetrics(registry);
        rtmp = new RtmpMetrics(registry);
        partLatency = Histogram.builder().name("estuary_packager_part_latency_seconds")
                .help("From the arrival of a part's first frame to the part being available to players")
                .classicOnly().classicUpperBounds(PART_LATENCY_BUCKETS).register(registry);
    }

    /** Netty's buffers live outside the heap: the JVM's own metrics do not show them. */
    private void registerAllocator() {
        if (!(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider)) {
            return;
        }
        ByteBufAllocatorMetric metric = provider.metric();
        GaugeWithCallback.builder().name("estuary_netty_allocator_used_direct_memory_bytes")
                .help("Direct memory used by Netty's default buffer allocator")
                .callback(cb -> cb.call(metric.usedDirectMemory())).register(registry);
        GaugeWithCallback.builder().name("estuary_netty_allocator_used_heap_memory_bytes")
                .help("Heap memory used by Netty's default buffer allocator")
                .callback(cb -> cb.call(metric.usedHeapMemory())).register(registry);
    }

    public void bindStreams(StreamRegistry streams, StreamPackagers packagers, Transcoders transcoders) {
        new StreamMetrics(registry, streams, packagers, config.maxLabelledStreams());
        new TranscoderMetrics(registry, transcoders, config.maxLabelledStreams());
    }

    /** WHIP series, when WHIP is enabled ({@code whip} null otherwise). */
    public void bindWhip(WhipService whip) {
        if (whip != null) {
            new WhipMetrics(registry, whip);
        }
    }

    public HttpObserver http() {
        return http;
    }

    public RtmpListener rtmp() {
        return rtmp;
    }

    public LongConsumer partLatencyObserver() {
        return nanos -> partLatency.observe(nanos / 1e9);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The text exposition of every metric, as of now. Walks every stream: call it off the event loop. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }
}
