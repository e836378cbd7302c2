package dev.meridian.engine.observe;

/**
 * A latency histogram for the hot path: fixed buckets, recorded with plain writes to the calling
 * event loop's own counters, read as a {@link HistogramSnapshot} by admin for Prometheus.
 *
 * <p>The bucket upper bounds ({@link #UPPER_BOUNDS_SECONDS}) are 1, 2.5 and 5 times each power of
 * ten from 10 µs to 100 s, then {@code +Inf}: a superset of the Prometheus client's default
 * buckets (5 ms to 10 s), extended down to where a proxy's own latencies lie and up to long
 * polls. A bound is inclusive, as Prometheus's {@code le} is: 1 ms lands in the 1 ms bucket.
 *
 * <p>{@link #record} allocates nothing, takes no lock and does no atomic read-modify-write on the
 * event loops (see {@link StripedLatencyHistogram}).
 */
public interface LatencyHistogram {

    /** Bucket upper bounds in seconds, ascending; one more bucket, {@code +Inf}, follows the last. */
    double[] UPPER_BOUNDS_SECONDS = {
        0.00001, 0.000025, 0.00005,
        0.0001, 0.00025, 0.0005,
        0.001, 0.0025, 0.005,
        0.01, 0.025, 0.05,
        0.1, 0.25, 0.5,
        1, 2.5, 5,
        10, 25, 50,
        100,
    };

    /** Buckets including {@code +Inf}. */
    int BUCKETS = UPPER_BOUNDS_SECONDS.length + 1;

    /** An empty histogram with the buckets above. */
    static LatencyHistogram create() {
        return new StripedLatencyHistogram();
    }

    /** Counts one duration; negative durations (a clock that stepped back) count as 0. */
    void record(long nanos);

    /** The counts so far, summed over event loops; for admin, not for the hot path. */
    HistogramSnapshot snapshot();
}
