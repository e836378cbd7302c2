package dev.meridian.bench.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Measures counting one request: a {@link LongAdder} increment (the engine's counters are
 * LongAdders resolved at compile time, hot-path rule 6) against the anchor, a Micrometer
 * {@link Counter} from a {@link SimpleMeterRegistry} already looked up, alone and with two threads
 * hitting the same counter.
 *
 * <p>The anchor is the meter itself, not a registry look-up per request: a fair gateway would hold
 * the counter too. The difference is the meter's indirection and its {@code double} accumulator.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class CounterBenchmark {

    private final LongAdder adder = new LongAdder();
    private Counter counter;

    @Setup
    public void setUp() {
        counter = Counter.builder("meridian.bench.requests").register(new SimpleMeterRegistry());
    }

    @Benchmark
    public void longAdder() {
        adder.increment();
    }

    @Benchmark
    public void anchorMicrometerCounter() {
        counter.increment();
    }

    @Benchmark
    @Threads(2)
    public void longAdder2Threads() {
        adder.increment();
    }

    @Benchmark
    @Threads(2)
    public void anchorMicrometerCounter2Threads() {
        counter.increment();
    }
}
