package io.estuary.packager;

import static io.estuary.packager.ConfigRules.check;

import com.typesafe.config.Config;
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
        check(partTarget.toMillis() >= 100 && partTarget.toMillis() <= 5000, "part-target",
                "must be between 100ms and 5s: " + partTarget);
        check(segmentTarget.compareTo(partTarget) >= 0 && segmentTarget.toSeconds() <= 30, "segment-target",
                "must be at least part-target and at most 30s: " + segmentTarget);
        check(windowSegments >= 3 && windowSegments <= 1000, "window-segments",
                "must be between 3 and 1000: " + windowSegments);
        check(windowBytes >= 1 << 20, "window-bytes", "must be at least 1MiB: " + windowBytes);
        check(!idleTimeout.isNegative(), "idle-timeout", "must not be negative: " + idleTimeout);
    }

    public static PackagerConfig defaults() {
        return new PackagerConfig(Duration.ofSeconds(2), Duration.ofMillis(500), 10, 256L << 20,
                Duration.ofSeconds(60));
    }

    /** Reads {@code estuary.packager}; a bad value fails with a message that names the key. */
    public static PackagerConfig from(Config root) {
        Config c = root.getConfig("estuary.packager");
        // The constructor's rules are the only ones; here they get the key's full name and the file's origin.
        return ConfigRules.read(c, "estuary.packager", () -> new PackagerConfig(c.getDuration("segment-target"),
                c.getDuration("part-target"), c.getInt("window-segments"), c.getBytes("window-bytes"),
                c.getDuration("idle-timeout")));
    }
}
