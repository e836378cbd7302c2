package dev.meridian.engine.upstream.retry;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter, Envoy's algorithm: before retry {@code k} (1-based) wait
 * a uniformly random time in {@code [0, min(max, base * (2^k - 1))]}.
 *
 * <p>Full jitter (rather than a fixed doubling) spreads the retries of many clients that failed
 * at the same moment, so they do not return in a synchronised wave.
 *
 * @param baseNanos 0 for no backoff (retry at once)
 * @param maxNanos  the cap, at least {@code baseNanos}
 */
public record Backoff(long baseNanos, long maxNanos) {

    /** Retry at once: nginx's behaviour for the default retry to another endpoint. */
    public static final Backoff NONE = new Backoff(0, 0);

    public Backoff {
        if (baseNanos < 0 || maxNanos < baseNanos) {
            throw new IllegalArgumentException("backoff: base " + baseNanos + " ns, max " + maxNanos
                    + " ns (expected: 0 <= base <= max)");
        }
    }

    /** The delay before retry {@code retry} (1 for the first), drawn from {@code random}. */
    public long delayNanos(int retry, RandomGenerator random) {
        if (baseNanos == 0 || retry < 1) {
            return 0;
        }
        // 2^k - 1 saturates long before it could overflow: 62 doublings exceed any max.
        long factor = retry >= 62 ? Long.MAX_VALUE : (1L << retry) - 1;
        long upper = factor > maxNanos / baseNanos ? maxNanos : Math.min(maxNanos, baseNanos * factor);
        return random.nextLong(upper + 1);
    }
}
