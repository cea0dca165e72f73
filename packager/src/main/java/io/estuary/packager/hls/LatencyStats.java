package io.estuary.packager.hls;

import java.util.Arrays;

/**
 * A bounded reservoir of latency samples (nanoseconds): the last {@code capacity} samples, with percentiles over
 * them. {@link #count()} counts every sample ever added; percentiles and {@link #maxNanos()} cover the reservoir
 * only, so an old outlier does not stick forever. Thread-safe: added to on the stream's executor, read by metrics.
 */
public final class LatencyStats {

    public static final int DEFAULT_CAPACITY = 4096;

    private final long[] samples;
    private long count;

    public LatencyStats() {
        this(DEFAULT_CAPACITY);
    }

    public LatencyStats(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        samples = new long[capacity];
    }

    public synchronized void add(long nanos) {
        samples[(int) (count % samples.length)] = nanos;
        count++;
    }

    /** Samples added since creation. */
    public synchronized long count() {
        return count;
    }

    public long p50Nanos() {
        return percentileNanos(0.50);
    }

    public long p99Nanos() {
        return percentileNanos(0.99);
    }

    public long maxNanos() {
        return percentileNanos(1.0);
    }

    /** The nearest-rank percentile ({@code quantile} in [0, 1]) of the reservoir; 0 when empty. */
    public long percentileNanos(double quantile) {
        if (quantile < 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be in [0, 1]: " + quantile);
        }
        long[] sorted;
        synchronized (this) {
            int n = (int) Math.min(count, samples.length);
            if (n == 0) {
                return 0;
            }
            sorted = Arrays.copyOf(samples, n);
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    @Override
    public String toString() {
        return "LatencyStats[count=" + count() + ", p50=" + p50Nanos() + "ns, p99=" + p99Nanos() + "ns, max="
                + maxNanos() + "ns]";
    }
}
