package dev.meridian.bench.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.internal.LoopLocal;
import dev.meridian.engine.cluster.lb.LoadBalancer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures one {@link LoadBalancer#pick(long)} for each policy over 10 endpoints, against the
 * cheapest picks possible: an {@code AtomicInteger} modulo the endpoint count (for the counter-based
 * policies) and an array index by {@code hash % n} (for Maglev).
 *
 * <p>The anchors are fair lower bounds rather than straw men: they do the same shared atomic
 * increment or the same hash-to-slot step the real policies need, and nothing else (no weights, no
 * availability check, no consistent-hashing table). The distance to them is what each policy's
 * extra guarantees cost.
 *
 * <p>Round-robin and P2C keep their state per event loop (a cursor, a SplitMix64 generator), so
 * the JMH thread picks as one event loop does. {@code anchorPlainCursor} is the floor of such a
 * pick, and of this harness: a plain field walking the array with a compare instead of a modulo.
 * The {@code OnLoop} variants are what the proxy pays per pick: it hands in its loop slot, found
 * once per request ({@code loopSlot} measures that look-up); the plain variants find it from the
 * thread on every pick, as other callers do. The {@code 2Threads} variants show that two loops
 * picking from one balancer do not share a cache line; the atomic anchor's 2-thread figure shows
 * what a shared counter costs.
 *
 * <p><b>Batched variants</b> ({@code *Batch}). One JMH invocation costs about 1 ns of harness by
 * itself on this host (the call, the loop test, the result's sink), so an operation of about
 * 1 ns cannot be seen in a one-op benchmark: the floor {@code anchorPlainCursor} measures mostly
 * the harness. Each {@code *Batch} method makes {@value #BATCH} picks per invocation
 * ({@code @OperationsPerInvocation}) and folds every pick into the return value (XOR of endpoint
 * indexes), so no pick is dead code and JMH divides by {@value #BATCH}: the figure is per pick
 * without the harness call. The same is done for the anchors, in the same run. In a loop the JIT
 * may keep the plain cursor anchor's field in a register across picks (nothing in its loop body
 * orders memory), so {@code anchorPlainCursorBatch} is a lower bound rather than a like-for-like
 * floor; the balancer's picks read a volatile each (to notice availability changes), which keeps
 * their cursor in memory: {@code anchorCursorInMemoryBatch} is the plain cursor with that one
 * volatile read per pick, the floor of a per-loop pick that must see changes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class LoadBalancerBenchmark {

    private static final int ENDPOINTS = 10;
    /** A power of two, so the hash cursor wraps with a mask; large enough to defeat branch memorisation. */
    private static final int HASHES = 1024;
    /** Picks per invocation in the {@code *Batch} variants. */
    static final int BATCH = 100;

    private LoadBalancer roundRobin;
    private LoadBalancer weightedRoundRobin;
    private LoadBalancer leastRequest;
    private LoadBalancer maglev;

    private Endpoint[] array;
    private final AtomicInteger counter = new AtomicInteger();
    /** Written by one thread only in the single-threaded anchor. */
    private int cursorField;
    private long[] hashes;
    private int cursor;
    /** Read once per pick by {@link #anchorCursorInMemoryBatch}, never written. */
    private volatile long version;

    @Setup
    public void setUp() {
        List<Endpoint> equal = endpoints(ENDPOINTS, i -> 1);
        // Weights 1..10: a 55-entry smooth cycle rather than the trivial 10-entry one.
        List<Endpoint> weighted = endpoints(ENDPOINTS, i -> i + 1);
        roundRobin = LoadBalancer.roundRobin(equal);
        weightedRoundRobin = LoadBalancer.roundRobin(weighted);
        leastRequest = LoadBalancer.leastRequest(equal);
        maglev = LoadBalancer.maglev(equal);
        array = equal.toArray(new Endpoint[0]);
        SplittableRandom random = new SplittableRandom(42);
        hashes = new long[HASHES];
        for (int i = 0; i < HASHES; i++) {
            hashes[i] = random.nextLong();
        }
    }

    static List<Endpoint> endpoints(int n, IntUnaryOperator weight) {
        List<Endpoint> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String host = "10.0." + (i / 250) + "." + (i % 250 + 1);
            list.add(new Endpoint(i, host + ":8080", new InetSocketAddress(host, 8080), weight.applyAsInt(i)));
        }
        return list;
    }

    /** The next affinity hash; the same sequence feeds Maglev and its anchor. */
    private long nextHash() {
        return hashes[cursor++ & (HASHES - 1)];
    }

    @Benchmark
    public Endpoint roundRobin() {
        return roundRobin.pick(0);
    }

    /** The calling thread's loop slot, found once as the proxy finds it once per request. */
    @State(Scope.Thread)
    public static class Loop {
        public int slot;

        @Setup
        public void find() {
            slot = LoopLocal.currentSlot();
            if (slot < 0) {
                throw new IllegalStateException("the benchmark thread has no loop slot");
            }
        }
    }

    /** What the proxy pays per pick: its loop slot is handed in (found once per request). */
    @Benchmark
    public Endpoint roundRobinOnLoop(Loop loop) {
        return roundRobin.pick(loop.slot, 0, null);
    }

    @Benchmark
    public Endpoint weightedRoundRobinOnLoop(Loop loop) {
        return weightedRoundRobin.pick(loop.slot, 0, null);
    }

    @Benchmark
    public Endpoint leastRequestP2cOnLoop(Loop loop) {
        return leastRequest.pick(loop.slot, 0, null);
    }

    /** Finding the calling thread's loop slot: what a request pays once, before its first breaker acquire. */
    @Benchmark
    public int loopSlot() {
        return LoopLocal.currentSlot();
    }

    @Benchmark
    public Endpoint weightedRoundRobin() {
        return weightedRoundRobin.pick(0);
    }

    @Benchmark
    public Endpoint leastRequestP2c() {
        return leastRequest.pick(0);
    }

    @Benchmark
    public Endpoint maglev() {
        return maglev.pick(nextHash());
    }

    /** Anchor for the round-robin picks: one shared atomic increment and a modulo, nothing else. */
    @Benchmark
    public Endpoint anchorAtomicModulo() {
        return array[(counter.getAndIncrement() & Integer.MAX_VALUE) % array.length];
    }

    /** Floor for a per-loop round-robin pick: a plain cursor that wraps without a modulo. */
    @Benchmark
    public Endpoint anchorPlainCursor() {
        int i = cursorField;
        cursorField = i + 1 == array.length ? 0 : i + 1;
        return array[i];
    }

    @Benchmark
    @Threads(2)
    public Endpoint roundRobin2Threads() {
        return roundRobin.pick(0);
    }

    @Benchmark
    @Threads(2)
    public Endpoint roundRobinOnLoop2Threads(Loop loop) {
        return roundRobin.pick(loop.slot, 0, null);
    }

    @Benchmark
    @Threads(2)
    public Endpoint leastRequestP2c2Threads() {
        return leastRequest.pick(0);
    }

    @Benchmark
    @Threads(2)
    public Endpoint anchorAtomicModulo2Threads() {
        return array[(counter.getAndIncrement() & Integer.MAX_VALUE) % array.length];
    }

    /** Anchor for Maglev: map the hash straight onto the array (what "hash % n" sharding does). */
    @Benchmark
    public Endpoint anchorHashModulo() {
        return array[(int) Long.remainderUnsigned(nextHash(), array.length)];
    }

    // ---- batched: per-pick cost without the ~1 ns harness call (see the class Javadoc) --------

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int roundRobinOnLoopBatch(Loop loop) {
        LoadBalancer lb = roundRobin;
        int slot = loop.slot;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            x ^= lb.pick(slot, 0, null).index();
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int weightedRoundRobinOnLoopBatch(Loop loop) {
        LoadBalancer lb = weightedRoundRobin;
        int slot = loop.slot;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            x ^= lb.pick(slot, 0, null).index();
        }
        return x;
    }

    /** Each pick finds the loop slot from the thread, as callers other than the proxy do. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int roundRobinBatch() {
        LoadBalancer lb = roundRobin;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            x ^= lb.pick(0).index();
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int anchorPlainCursorBatch() {
        Endpoint[] a = array;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            int i = cursorField;
            cursorField = i + 1 == a.length ? 0 : i + 1;
            x ^= a[i].index();
        }
        return x;
    }

    /** The plain cursor with one volatile read per pick, which keeps the cursor in memory. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int anchorCursorInMemoryBatch() {
        Endpoint[] a = array;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            if (version == 0) {
                int i = cursorField;
                cursorField = i + 1 == a.length ? 0 : i + 1;
                x ^= a[i].index();
            }
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int anchorAtomicModuloBatch() {
        Endpoint[] a = array;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            x ^= a[(counter.getAndIncrement() & Integer.MAX_VALUE) % a.length].index();
        }
        return x;
    }
}
