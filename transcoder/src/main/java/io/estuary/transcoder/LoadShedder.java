package io.estuary.transcoder;

import io.estuary.media.router.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a transcoder live when the machine cannot keep up: latency must not grow, so quality gives way. The lag is
 * how long a source frame waited before the transcoder took it. Above max-lag the shedding level rises one step
 * (at most once a second, so each step gets time to work): level n makes the n most expensive encoded rungs encode
 * every other frame; one level past the rung count skips decoding up to the next source keyframe, which every rung
 * then resumes at. Below a quarter of max-lag for five seconds, the level falls one step. Forced keyframes are
 * never skipped, so segments stay aligned.
 */
final class LoadShedder {

    private static final Logger log = LoggerFactory.getLogger(LoadShedder.class);
    private static final long RISE_EVERY_NANOS = 1_000_000_000L;
    private static final long FALL_AFTER_NANOS = 5_000_000_000L;

    private final StreamKey key;
    private final long maxLagNanos;
    private final int encodedRungs;
    private int level;
    private long lastChangeNanos;
    private long calmSinceNanos = -1;

    LoadShedder(StreamKey key, long maxLagNanos, int encodedRungs, long nowNanos) {
        this.key = key;
        this.maxLagNanos = maxLagNanos;
        this.encodedRungs = encodedRungs;
        this.lastChangeNanos = nowNanos;
    }

    /** Takes one observed lag; returns the (possibly changed) level. */
    int observe(long lagNanos, long nowNanos) {
        if (lagNanos > maxLagNanos) {
            calmSinceNanos = -1;
            if (level <= encodedRungs && nowNanos - lastChangeNanos >= RISE_EVERY_NANOS) {
                level++;
                lastChangeNanos = nowNanos;
                log.warn("{}: transcoder {} ms behind (max-lag {} ms): shedding level {} of {} ({})", key,
                        lagNanos / 1_000_000, maxLagNanos / 1_000_000, level, encodedRungs + 1, describe());
            }
        } else if (lagNanos < maxLagNanos / 4 && level > 0) {
            if (calmSinceNanos < 0) {
                calmSinceNanos = nowNanos;
            } else if (nowNanos - calmSinceNanos >= FALL_AFTER_NANOS) {
                level--;
                lastChangeNanos = nowNanos;
                calmSinceNanos = nowNanos;
                log.info("{}: transcoder caught up: shedding level {} ({})", key, level, describe());
            }
        } else {
            calmSinceNanos = -1;
        }
        return level;
    }

    int level() {
        return level;
    }

    /** Whether the source's frames are skipped undecoded up to the next keyframe. */
    boolean skippingToKeyframe() {
        return level > encodedRungs;
    }

    /**
     * Whether the encoded rung of cost rank {@code rank} (0 = most pixels) leaves out picture number
     * {@code picture}.
     */
    boolean skips(int rank, long picture, boolean forcedKeyframe) {
        return !forcedKeyframe && rank < level && (picture & 1) == 1;
    }

    /** After a skip to a keyframe, decoding has resumed: the level steps back to every rung at half rate. */
    void resumedAtKeyframe() {
        if (level > encodedRungs) {
            level = encodedRungs;
        }
    }

    private String describe() {
        if (level == 0) {
            return "every rung at full rate";
        }
        if (level > encodedRungs) {
            return "source frames skipped to the next keyframe";
        }
        return level + " most expensive rung(s) at half frame rate";
    }
}
