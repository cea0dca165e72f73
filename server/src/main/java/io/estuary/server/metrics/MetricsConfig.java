package io.estuary.server.metrics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * {@code estuary.metrics}: whether {@code /metrics} is served, and how many streams get their own series.
 *
 * @param enabled              serve {@code /metrics}
 * @param maxLabelledStreams   streams with per-stream series (label cardinality stays bounded however many
 *                             streams are live; the rest are counted in {@code estuary_metrics_unlabelled_streams})
 */
public record MetricsConfig(boolean enabled, int maxLabelledStreams) {

    public static MetricsConfig from(Config root) {
        Config c = root.getConfig("estuary.metrics");
        int max = c.getInt("max-labelled-streams");
        if (max < 0) {
            throw new ConfigException.BadValue(c.origin(), "estuary.metrics.max-labelled-streams",
                    "must not be negative");
        }
        return new MetricsConfig(c.getBoolean("enabled"), max);
    }
}
