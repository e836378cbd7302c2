package dev.meridian.engine.upstream.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000L;

    /** The largest delay seen over many draws, which approaches the upper bound of the jitter range. */
    private static long maxOver(Backoff b, int retry) {
        SplittableRandom random = new SplittableRandom(3);
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 20_000; i++) {
            long d = b.delayNanos(retry, random);
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
        assertThat(min).isLessThan(max / 50); // full jitter: down to (almost) zero
        return max;
    }

    @Test
    void rangeGrowsAsBaseTimesTwoToTheKMinusOneUpToTheMax() {
        Backoff b = new Backoff(25 * MS, 250 * MS);
        assertThat(maxOver(b, 1)).isBetween(24 * MS, 25 * MS);
        assertThat(maxOver(b, 2)).isBetween(74 * MS, 75 * MS);
        assertThat(maxOver(b, 3)).isBetween(174 * MS, 175 * MS);
        assertThat(maxOver(b, 4)).isBetween(249 * MS, 250 * MS);
        assertThat(maxOver(b, 100)).isBetween(249 * MS, 250 * MS); // no overflow
    }

    @Test
    void noBackoffRetriesAtOnce() {
        assertThat(Backoff.NONE.delayNanos(3, new SplittableRandom())).isZero();
    }

    @Test
    void refusesAMaxBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(10, 5)).hasMessageContaining("expected: 0 <= base <= max");
    }
}
