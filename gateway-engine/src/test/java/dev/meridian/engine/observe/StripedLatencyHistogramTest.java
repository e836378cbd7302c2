package dev.meridian.engine.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StripedLatencyHistogramTest {

    private static final long MS = 1_000_000;

    @Test
    void aDurationEqualToABoundCountsInThatBucketAndOneNanosecondMoreInTheNext() {
        for (int i = 0; i < LatencyHistogram.UPPER_BOUNDS_SECONDS.length; i++) {
            long bound = Math.round(LatencyHistogram.UPPER_BOUNDS_SECONDS[i] * 1e9);
            assertThat(StripedLatencyHistogram.bucketOf(bound)).as("le=%s", LatencyHistogram.UPPER_BOUNDS_SECONDS[i]).isEqualTo(i);
            assertThat(StripedLatencyHistogram.bucketOf(bound + 1)).as("just above %s", bound).isEqualTo(i + 1);
            // Bounds at least double, so just below one is still above the previous one.
            assertThat(StripedLatencyHistogram.bucketOf(bound - 1)).as("just below %s", bound).isEqualTo(i);
        }
    }

    @Test
    void everyDurationLandsInTheFirstBucketWhoseBoundIsAtOrAboveIt() {
        long[] bounds = StripedLatencyHistogram.BOUND_NANOS;
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int n = 0; n < 200_000; n++) {
            long v = random.nextLong(1L << random.nextInt(1, 63));
            int expected = 0;
            while (bounds[expected] < v) {
                expected++;
            }
            assertThat(StripedLatencyHistogram.bucketOf(v)).as("%d ns", v).isEqualTo(expected);
        }
    }

    @Test
    void boundsIncludeThePrometheusDefaultsAndEndWithInfinity() {
        assertThat(LatencyHistogram.UPPER_BOUNDS_SECONDS)
                .contains(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .isSorted();
        assertThat(LatencyHistogram.BUCKETS).isEqualTo(LatencyHistogram.UPPER_BOUNDS_SECONDS.length + 1);
        assertThat(StripedLatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void snapshotHasCountsSumAndCumulativeBuckets() {
        LatencyHistogram h = LatencyHistogram.create();
        h.record(0);
        h.record(-5); // a clock step back counts as 0
        h.record(MS); // exactly 1 ms: the le=0.001 bucket
        h.record(3 * MS);
        h.record(200_000 * MS); // 200 s: +Inf
        HistogramSnapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.sumNanos()).isEqualTo(MS + 3 * MS + 200_000 * MS);
        assertThat(s.sumSeconds()).isEqualTo(200.004);
        int ms1 = indexOf(0.001);
        int ms5 = indexOf(0.005);
        assertThat(s.bucketCount(0)).isEqualTo(2);
        assertThat(s.bucketCount(ms1)).isEqualTo(1);
        assertThat(s.bucketCount(ms5)).isEqualTo(1);
        assertThat(s.bucketCount(LatencyHistogram.BUCKETS - 1)).isEqualTo(1);
        assertThat(s.cumulativeCount(ms1)).isEqualTo(3);
        assertThat(s.cumulativeCount(LatencyHistogram.BUCKETS - 1)).isEqualTo(5);
    }

    /** More threads than stripes: some share the atomic stripe, and still nothing is lost. */
    @Test
    void concurrentRecordsFromManyThreadsSumExactly() throws Exception {
        LatencyHistogram h = LatencyHistogram.create();
        int threads = StripedLatencyHistogram.STRIPES + 16;
        int perThread = 20_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        h.record((i % 4) * MS); // 0, 1, 2, 3 ms
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            started.add(thread);
            thread.start();
        }
        for (Thread t : started) {
            t.join(30_000);
        }
        assertThat(failure.get()).isNull();
        HistogramSnapshot s = h.snapshot();
        long total = (long) threads * perThread;
        assertThat(s.count()).isEqualTo(total);
        assertThat(s.sumNanos()).isEqualTo(total / 4 * (0 + 1 + 2 + 3) * MS);
        assertThat(s.bucketCount(0)).isEqualTo(total / 4);
        assertThat(s.bucketCount(indexOf(0.001))).isEqualTo(total / 4);
        assertThat(s.bucketCount(indexOf(0.0025))).isEqualTo(total / 4); // 2 ms
        assertThat(s.bucketCount(indexOf(0.005))).isEqualTo(total / 4); // 3 ms
    }

    private static int indexOf(double bound) {
        double[] b = LatencyHistogram.UPPER_BOUNDS_SECONDS;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == bound) {
                return i;
            }
        }
        throw new AssertionError(bound);
    }
}
