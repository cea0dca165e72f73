package io.estuary.server.metrics;

import io.estuary.protocols.rtmp.RtmpListener;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** RTMP connections open, accepted, refused by reason, and closed for protocol errors. */
final class RtmpMetrics implements RtmpListener {
    private final Gauge open;
    private final Counter accepted;
    private final Counter protocolErrors;
    private final CounterDataPoint[] refused = new CounterDataPoint[Refusal.values().length];

    RtmpMetrics(PrometheusRegistry registry) {
        open = Gauge.builder().name("estuary_rtmp_connections_open")
                .help("RTMP connections open now").register(registry);
        accepted = Counter.builder().name("estuary_rtmp_connections_total")
                .help("RTMP connections accepted").register(registry);
        Counter refusedCounter = Counter.builder().name("estuary_rtmp_refused_total")
                .help("RTMP connections or publishes turned away, by reason").labelNames("reason")
                .register(registry);
        protocolErrors = Counter.builder().name("estuary_rtmp_protocol_errors_total")
                .help("RTMP connections closed because the client broke the protocol").register(registry);
        for (Refusal r : Refusal.values()) {
            // Every reason is exposed from the start (at 0), so rate() works from the first refusal.
            refused[r.ordinal()] = refusedCounter.labelValues(r.label());
        }
    }

    @Override
    public void connectionOpened() {
        open.inc();
        accepted.inc();
    }

    @Override
    public void connectionClosed() {
        open.dec();
    }

    @Override
    public void refused(Refusal reason) {
        refused[reason.ordinal()].inc();
    }

    @Override
    public void protocolError() {
        protocolErrors.inc();
    }
}
