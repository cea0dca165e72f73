package io.estuary.packager;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * How live media is cut and kept, read once from {@code estuary.packager}.
 *
 * @param segmentTarget   a segment is cut at the first keyframe at least this long after the segment's start
 * @param partTarget      the longest a part (CMAF chunk, LL-HLS partial segment) may be; the PART-TARGET
 * @param windowSegments  completed segments kept per track (the live window, as listed in media playlists)
 * @param windowBytes     upper bound of the bytes kept per stream, all tracks together; oldest segments go first
 * @param idleTimeout     how long a stream's playlists stay after its publisher left, waiting for a republish
 */
public record PackagerConfig(Duration segmentTarget, Duration partTarget, int windowSegments, long windowBytes,
        Duration idleTimeout) {

    public PackagerConfig {
        if (partTarget.toMillis() < 100 || partTarget.toMillis() > 5000) {
            throw new IllegalArgumentException("part-target must be between 100ms and 5s: " + partTarget);
        }
        if (segmentTarget.compareTo(partTarget) < 0 || segmentTarget.toSeconds() > 30) {
            throw new IllegalArgumentException(
                    "segment-target must be at least part-target and at most 30s: " + segmentTarget);
        }
        if (windowSegments < 3 || windowSegments > 1000) {
            throw new IllegalArgumentException("window-segments must be between 3 and 1000: " + windowSegments);
        }
        if (windowBytes < 1 << 20) {
            throw new IllegalArgumentException("window-bytes must be at least 1MiB: " + windowBytes);
        }
    }

    public static PackagerConfig defaults() {
        return new PackagerConfig(Duration.ofSeconds(2), Duration.ofMillis(500), 10, 256L << 20,
                Duration.ofSeconds(60));
    }

    /** Reads {@code estuary.packager}; a bad value fails with a message that names the key. */
    public static PackagerConfig from(Config root) {
        Config c = root.getConfig("estuary.packager");
        Duration segmentTarget = c.getDuration("segment-target");
        Duration partTarget = c.getDuration("part-target");
        int windowSegments = c.getInt("window-segments");
        long windowBytes = c.getBytes("window-bytes");
        Duration idleTimeout = c.getDuration("idle-timeout");
        check(c, "part-target", partTarget.toMillis() >= 100 && partTarget.toMillis() <= 5000,
                "must be between 100ms and 5s");
        check(c, "segment-target", segmentTarget.compareTo(partTarget) >= 0 && segmentTarget.toSeconds() <= 30,
                "must be at least part-target and at most 30s");
        check(c, "window-segments", windowSegments >= 3 && windowSegments <= 1000, "must be between 3 and 1000");
        check(c, "window-bytes", windowBytes >= 1 << 20, "must be at least 1MiB");
        check(c, "idle-timeout", !idleTimeout.isNegative(), "must not be negative");
        return new PackagerConfig(segmentTarget, partTarget, windowSegments, windowBytes, idleTimeout);
    }

    private static void check(Config c, String key, boolean ok, String rule) {
        if (!ok) {
            throw new ConfigException.BadValue(c.origin(), "estuary.packager." + key, rule);
        }
    }
}
