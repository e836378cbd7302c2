package dev.meridian.bench.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.lb.LoadBalancer;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures building a Maglev balancer (its 65537-entry lookup table) for 100 endpoints, the work a
 * config swap does off the event loop for each Maglev cluster.
 *
 * <p>Anchor: filling a table of the same size with {@code endpoints[i % n]}, i.e. the memory
 * traffic of the table with none of Maglev's permutation work. The gap is the price of consistent
 * hashing (minimal disruption when an endpoint leaves), paid once per swap rather than per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class MaglevBenchmark {

    private static final int ENDPOINTS = 100;
    /** The engine's default table size ({@code LoadBalancer.maglev}): a prime, as Envoy uses. */
    private static final int TABLE_SIZE = 65537;

    private List<Endpoint> endpoints;
    private Endpoint[] array;

    @Setup
    public void setUp() {
        endpoints = LoadBalancerBenchmark.endpoints(ENDPOINTS, i -> 1);
        array = endpoints.toArray(new Endpoint[0]);
    }

    @Benchmark
    public LoadBalancer maglevBuild100() {
        return LoadBalancer.maglev(endpoints);
    }

    @Benchmark
    public Endpoint[] anchorModuloTable100() {
        Endpoint[] table = new Endpoint[TABLE_SIZE];
        for (int i = 0; i < TABLE_SIZE; i++) {
            table[i] = array[i % array.length];
        }
        return table;
    }
}
