package dev.meridian.bench.observe;

import dev.meridian.engine.observe.LatencyHistogram;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures recording one request duration into the engine's {@link LatencyHistogram} against the
 * anchors a Spring gateway would use: a Micrometer {@link Timer} and {@link DistributionSummary}
 * with {@code publishPercentileHistogram()} on a {@link SimpleMeterRegistry}, each already
 * looked up (a fair gateway holds its meters).
 *
 * <p>Durations come from a fixed table of 1,024 log-uniform values between 20 µs and 2 s, so the
 * bucket choice varies as real latencies do and no variant can memorise a branch. Alone and with
 * two threads recording into the same meter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class HistogramBenchmark {

    private static final int DURATIONS = 1024;

    private final LatencyHistogram histogram = LatencyHistogram.create();
    private Timer timer;
    private DistributionSummary summary;
    private final long[] durations = new long[DURATIONS];

    /** Each thread walks the table from its own cursor. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup
    public void setUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        timer = Timer.builder("meridian.bench.request.duration").publishPercentileHistogram().register(registry);
        summary = DistributionSummary.builder("meridian.bench.request.nanos").publishPercentileHistogram()
                .register(registry);
        SplittableRandom random = new SplittableRandom(42);
        double low = Math.log(20_000);
        double high = Math.log(2_000_000_000);
        for (int i = 0; i < DURATIONS; i++) {
            durations[i] = (long) Math.exp(low + random.nextDouble() * (high - low));
        }
    }

    private long next(Cursor c) {
        return durations[c.next++ & (DURATIONS - 1)];
    }

    @Benchmark
    public void record(Cursor c) {
        histogram.record(next(c));
    }

    @Benchmark
    public void anchorMicrometerTimer(Cursor c) {
        timer.record(next(c), TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void anchorMicrometerSummary(Cursor c) {
        summary.record(next(c));
    }

    @Benchmark
    @Threads(2)
    public void record2Threads(Cursor c) {
        histogram.record(next(c));
    }

    @Benchmark
    @Threads(2)
    public void anchorMicrometerTimer2Threads(Cursor c) {
        timer.record(next(c), TimeUnit.NANOSECONDS);
    }
}
