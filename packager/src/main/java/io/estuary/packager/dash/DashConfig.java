package io.estuary.packager.dash;

import static io.estuary.packager.ConfigRules.check;

import com.typesafe.config.Config;
import io.estuary.packager.ConfigRules;
import java.time.Duration;

/**
 * What the MPD asks of players, read once from {@code estuary.dash}: the latency to keep (ServiceDescription and
 * suggestedPresentationDelay), how fast they may play to get there, and how often they reload the MPD.
 */
public record DashConfig(Duration latencyTarget, Duration latencyMin, Duration latencyMax, double playbackRateMin,
        double playbackRateMax, Duration minimumUpdatePeriod) {

    public DashConfig {
        check(!latencyMin.isNegative() && latencyMin.compareTo(latencyTarget) <= 0
                && latencyTarget.compareTo(latencyMax) <= 0, "latency-target",
                "must lie between latency-min and latency-max: " + latencyMin + " <= " + latencyTarget + " <= "
                        + latencyMax);
        check(playbackRateMin > 0 && playbackRateMin <= 1 && playbackRateMax >= 1 && playbackRateMax <= 2,
                "playback-rate-min", "and playback-rate-max must frame 1 (0 < min <= 1 <= max <= 2): "
                        + playbackRateMin + ", " + playbackRateMax);
        check(minimumUpdatePeriod.toMillis() >= 100 && minimumUpdatePeriod.toSeconds() <= 60,
                "minimum-update-period", "must be between 100ms and 60s: " + minimumUpdatePeriod);
    }

    public static DashConfig defaults() {
        return new DashConfig(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), 0.92, 1.08,
                Duration.ofSeconds(1));
    }

    /** Reads {@code estuary.dash}; a bad value fails with a message that names the key. */
    public static DashConfig from(Config root) {
        Config c = root.getConfig("estuary.dash");
        return ConfigRules.read(c, "estuary.dash", () -> new DashConfig(c.getDuration("latency-target"),
                c.getDuration("latency-min"), c.getDuration("latency-max"), c.getDouble("playback-rate-min"),
                c.getDouble("playback-rate-max"), c.getDuration("minimum-update-period")));
    }
}
