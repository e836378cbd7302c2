package dev.meridian.bench.runtime;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.runtime.SnapshotCompiler;
import dev.meridian.engine.runtime.SnapshotHolder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures reading the current config snapshot, which every request does once (hot-path rule 5):
 * the engine's {@link SnapshotHolder} (one volatile field) against the
 * {@code AtomicReference.get()} anchor, both holding a real compiled {@link RuntimeSnapshot}.
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

    private final SnapshotHolder holder = new SnapshotHolder();
    private final AtomicReference<RuntimeSnapshot> reference = new AtomicReference<>();

    @Setup
    public void compile() {
        GatewaySnapshot spec = new GatewaySnapshot(List.of(ListenerSpec.of("http", "127.0.0.1:0")),
                List.of(ClusterSpec.of("backend", List.of(EndpointSpec.of("127.0.0.1:9001")))),
                List.of(RouteSpec.prefix("/", "backend")));
        RuntimeSnapshot compiled = SnapshotCompiler.compile(spec, null, 1);
        holder.set(compiled);
        reference.set(compiled);
    }

    @Benchmark
    public RuntimeSnapshot holderGet() {
        return holder.get();
    }

    @Benchmark
    public RuntimeSnapshot anchorAtomicReferenceGet() {
        return reference.get();
    }
}
