package io.estuary.server.metrics;

import io.estuary.server.http.HttpObserver;
import io.estuary.server.http.Route;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Requests by route and status, bytes sent, durations, and requests waiting for a part. */
final class HttpMetrics implements HttpObserver {
    /** From a cached part (well under a millisecond) to a blocking reload held for a whole part or more. */
    private static final double[] DURATION_BUCKETS =
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Counter requests;
    private final Gauge waiting;
    // Per route, resolved once: the label lookups stay off the per-request path.
    private final CounterDataPoint[] bytes = new CounterDataPoint[Route.values().length];
    private final DistributionDataPoint[] durations = new DistributionDataPoint[Route.values().length];

    HttpMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("estuary_http_requests_total")
                .help("HTTP requests answered, by route class and status code")
                .labelNames("route", "status").register(registry);
        Counter sent = Counter.builder().name("estuary_http_response_bytes_total")
                .help("HTTP response body bytes sent, by route class")
                .labelNames("route").register(registry);
        Histogram duration = Histogram.builder().name("estuary_http_request_duration_seconds")
                .help("Time from a request's arrival to its response, by route class (blocking playlist requests "
                        + "include their wait)")
                .labelNames("route").classicOnly().classicUpperBounds(DURATION_BUCKETS).register(registry);
        waiting = Gauge.builder().name("estuary_http_blocking_requests_in_flight")
                .help("Requests waiting for a part or segment that does not exist yet").register(registry);
        for (Route r : Route.values()) {
            bytes[r.ordinal()] = sent.labelValues(r.label());
            durations[r.ordinal()] = duration.labelValues(r.label());
        }
    }

    @Override
    public void responded(Route route, int status, long bodyBytes, long nanos) {
        requests.labelValues(route.label(), Integer.toString(status)).inc();
        bytes[route.ordinal()].inc(bodyBytes);
        durations[route.ordinal()].observe(nanos / 1e9);
    }

    @Override
    public void waitStarted() {
        waiting.inc();
    }

    @Override
    public void waitEnded() {
        waiting.dec();
    }
}
