package dev.meridian.engine.observe;

import java.util.Arrays;

/**
 * What a {@link LatencyHistogram} had counted when it was read: per-bucket counts (not
 * cumulative), their total and the sum of the recorded durations, ready to export as a
 * Prometheus histogram ({@code _bucket{le}} cumulative, {@code _count}, {@code _sum} in seconds).
 *
 * <p>Read while requests are being recorded, {@link #count()} always equals the sum of the
 * buckets, but {@link #sumNanos()} may include or miss a duration or two that the buckets do not.
 */
public final class HistogramSnapshot {

    private final long[] counts;
    private final long count;
    private final long sumNanos;

    HistogramSnapshot(long[] counts, long sumNanos) {
        this.counts = counts;
        long c = 0;
        for (long n : counts) {
            c += n;
        }
        this.count = c;
        this.sumNanos = sumNanos;
    }

    /** Durations counted in bucket {@code i} alone (upper bound {@link LatencyHistogram#UPPER_BOUNDS_SECONDS}[i], or +Inf). */
    public long bucketCount(int i) {
        return counts[i];
    }

    /** Per-bucket counts, a copy. */
    public long[] bucketCounts() {
        return counts.clone();
    }

    /** Durations counted at or below {@code UPPER_BOUNDS_SECONDS[i]} (Prometheus's cumulative {@code le}). */
    public long cumulativeCount(int i) {
        long c = 0;
        for (int k = 0; k <= i; k++) {
            c += counts[k];
        }
        return c;
    }

    /** All durations counted. */
    public long count() {
        return count;
    }

    /** The sum of the durations counted, in nanoseconds. */
    public long sumNanos() {
        return sumNanos;
    }

    /** The sum in seconds, as Prometheus's {@code _sum} wants it. */
    public double sumSeconds() {
        return sumNanos / 1e9;
    }

    @Override
    public String toString() {
        return "HistogramSnapshot{count=" + count + ", sumNanos=" + sumNanos + ", buckets=" + Arrays.toString(counts) + '}';
    }
}
