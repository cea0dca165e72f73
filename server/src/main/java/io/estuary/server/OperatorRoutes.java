package io.estuary.server;

import io.estuary.server.api.Api;
import io.estuary.server.http.AdminRoutes;
import io.estuary.server.metrics.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Connects the router's operator routes to the metrics, the API and the console. */
final class OperatorRoutes implements AdminRoutes {
    private final ServerMetrics metrics;
    private final Api api;

    OperatorRoutes(ServerMetrics metrics, Api api) {
        this.metrics = metrics;
        this.api = api;
    }

    @Override
    public byte[] scrape() {
        if (!metrics.enabled()) {
            return "# metrics are disabled (estuary.metrics.enabled = false)\n".getBytes(StandardCharsets.UTF_8);
        }
        return metrics.scrape();
    }

    @Override
    public String scrapeContentType() {
        return metrics.contentType();
    }

    @Override
    public ApiResponse api(ApiRequest request) {
        return api.handle(request);
    }

    @Override
    public Optional<Asset> consoleAsset(String path) {
        return Optional.empty();
    }
}
