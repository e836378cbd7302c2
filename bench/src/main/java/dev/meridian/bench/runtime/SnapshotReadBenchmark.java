package dev.meridian.bench.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures reading the current config snapshot, which every request does once (hot-path rule 5):
 * a volatile read of a holder field against the {@code AtomicReference.get()} anchor.
 *
 * <p>The engine's {@code SnapshotHolder} has not landed yet; {@link VolatileHolder} below has the
 * shape it is specified to have (one volatile field behind {@code get()}/{@code set()}). Replace it
 * with the real holder when {@code dev.meridian.engine.runtime} gains it, keeping the anchor.
 *
 * <p>On x86 both are a plain load (volatile reads need no fence under TSO), so the figures mostly
 * show the harness floor; the benchmark exists to catch a holder that grows a lock or an
 * indirection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class SnapshotReadBenchmark {

    /** Stand-in for a compiled snapshot: any immutable object works for a read. */
    private static final Object SNAPSHOT = new Object();

    private final VolatileHolder holder = new VolatileHolder(SNAPSHOT);
    private final AtomicReference<Object> reference = new AtomicReference<>(SNAPSHOT);

    @Benchmark
    public Object volatileHolderGet() {
        return holder.get();
    }

    @Benchmark
    public Object anchorAtomicReferenceGet() {
        return reference.get();
    }

    /** The specified shape of the engine's snapshot holder: one volatile field, published by set. */
    static final class VolatileHolder {
        private volatile Object current;

        VolatileHolder(Object initial) {
            this.current = initial;
        }

        Object get() {
            return current;
        }

        void set(Object next) {
            this.current = next;
        }
    }
}
