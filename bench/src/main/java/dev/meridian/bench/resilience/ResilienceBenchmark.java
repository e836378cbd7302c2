package dev.meridian.bench.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Measures Meridian's circuit breaker (Envoy-style counters: a check is one acquire of the
 * {@code max_requests} counter, here with its release), the two ways a request holds it (a
 * {@code BreakerGuard} object, or bits of an {@code int} as the exchange does) and its per-client
 * token bucket, against the anchors resilience4j's {@link CircuitBreaker} (closed) and
 * {@link RateLimiter} in the same run.
 *
 * <p>The thresholds are Envoy's defaults (1024 requests), far above what one thread holds, so the
 * JMH thread takes the per-event-loop fast path as a loop of a healthy cluster does: units come
 * from its own lease, with plain writes. The {@code 2Threads} variants show two loops checking
 * one breaker without sharing a line.
 *
 * <p>Every Meridian breaker check takes a unit and gives it back, as a request does; never a
 * read alone, which the engine does not perform. Three ways, from the most to the least work
 * found per call:
 * <ul>
 *   <li>{@code breakerCheck}: the raw {@code tryAcquire}/{@code release} pair, each finding the
 *       calling thread's loop slot ({@code LoopLocal.currentSlot()}) on its own; compiled into
 *       one method, as here, the JIT makes that look-up once for the pair, since the acquire
 *       reads the plan's generation (its one volatile read) before anything else;</li>
 *   <li>{@code heldBitsAcquireRelease}: the exchange's per-request pattern, the first acquire into
 *       an empty held set finding the loop slot and recording it, the release reusing it;</li>
 *   <li>{@code breakerCheckOnLoop}: the check once the slot is known (the exchange finds it once
 *       per request and hands it to the pick and to every later acquire and release).</li>
 * </ul>
 * {@code LoadBalancerBenchmark.loopSlot} measures finding the slot. resilience4j's anchors are a
 * state read ({@code tryAcquirePermission} of a closed breaker) and that read plus
 * {@code onSuccess}, the full cost per request once the outcome is recorded in the sliding
 * window. The rate limiter's limit is set far above what one second of calls can reach, so every
 * call takes the permit path and never waits.
 *
 * <p><b>Batched variants</b> ({@code *Batch}). One JMH invocation costs about 1 ns of harness by
 * itself on this host, so a check of about 1 ns cannot be seen in a one-op benchmark (the
 * resilience4j read's 1.05 ns is mostly harness). Each {@code *Batch} method makes
 * {@value #BATCH} checks per invocation ({@code @OperationsPerInvocation}) and counts the admitted
 * ones into the return value, so none is dead code; JMH divides by {@value #BATCH}, giving the
 * figure per check without the harness call, for Meridian and for the resilience4j anchors alike.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class ResilienceBenchmark {

    /** Checks per invocation in the {@code *Batch} variants. */
    static final int BATCH = 100;

    private CircuitBreaker breaker;
    private RateLimiter limiter;
    private dev.meridian.engine.cluster.breaker.CircuitBreaker meridianBreaker;
    private dev.meridian.engine.limit.RequestRateLimiter meridianBucket;
    private java.net.InetAddress client;
    private long now;
    /** The floor anchors' per-loop counter and the volatile each check reads (see {@link #anchorPlainCounter}). */
    private final PlainLease plainLease = new PlainLease();
    private volatile int epoch;

    /** A loop's unused units as a plain field, with the bound a release may keep. */
    static final class PlainLease {
        int spare = 1 << 20;
        int keep = 1 << 21;
    }

    @Setup
    public void setUp() {
        breaker = CircuitBreaker.ofDefaults("bench");
        limiter = RateLimiter.of("bench", RateLimiterConfig.custom()
                .limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
        meridianBreaker = dev.meridian.engine.cluster.breaker.CircuitBreaker.create(
                dev.meridian.engine.cluster.breaker.BreakerLimits.DEFAULTS);
        // A bucket that never runs dry, so every call takes the admit path, as the anchor's does.
        meridianBucket = dev.meridian.engine.limit.RequestRateLimiter.tokenBucket(1e6, 1_000_000);
        client = java.net.InetAddress.getLoopbackAddress();
    }

    /** The breaker check of a request: take one unit of {@code max_requests}, give it back. */
    @Benchmark
    public boolean breakerCheck() {
        boolean ok = meridianBreaker.tryAcquire(dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
        if (ok) {
            meridianBreaker.release(dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
        }
        return ok;
    }

    /** The calling thread's loop slot, found once as the proxy finds it once per request. */
    @State(Scope.Thread)
    public static class Loop {
        public int slot;

        @Setup
        public void find() {
            slot = dev.meridian.engine.internal.LoopLocal.currentSlot();
            if (slot < 0) {
                throw new IllegalStateException("the benchmark thread has no loop slot");
            }
        }
    }

    /**
     * The breaker check once the request's loop slot is known (the exchange finds it once per
     * request, on its first acquire): take one unit of {@code max_requests}, give it back.
     */
    @Benchmark
    public boolean breakerCheckOnLoop(Loop loop) {
        boolean ok = meridianBreaker.tryAcquireOn(loop.slot, dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
        if (ok) {
            meridianBreaker.releaseOn(loop.slot, dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
        }
        return ok;
    }

    @Benchmark
    @Threads(2)
    public boolean breakerCheckOnLoop2Threads(Loop loop) {
        return breakerCheckOnLoop(loop);
    }

    /** Two event loops checking the same breaker at once. */
    @Benchmark
    @Threads(2)
    public boolean breakerCheck2Threads() {
        return breakerCheck();
    }

    /** What the exchange pays per request: the units it holds are bits of an int, no object. */
    @Benchmark
    public int heldBitsAcquireRelease() {
        int held = meridianBreaker.tryAcquire(0, dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
        if (held > 0) {
            held = meridianBreaker.releaseAll(held);
        }
        return held;
    }

    /** What a holder that needs cross-thread idempotence pays: a guard, its acquire, and its release. */
    @Benchmark
    public boolean guardAcquireRelease() {
        dev.meridian.engine.cluster.breaker.BreakerGuard guard = meridianBreaker.guard();
        boolean ok = guard.tryAcquire(dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
        guard.releaseAll();
        return ok;
    }

    /** One token-bucket admission for one client, with the clock value passed in (one read per loop pass). */
    @Benchmark
    public long tokenBucket() {
        now += 1000;
        return meridianBucket.tryAcquire(client, now);
    }

    /**
     * Floor of any counter-based check on a loop-local lease: a plain counter in memory taken
     * (compare, decrement) and given back (compare, increment), with the one volatile read per
     * check that lets a check notice a reconfigure. The volatile read keeps the counter in
     * memory, so consecutive checks pay a store-to-load round trip each, as a real lease does.
     */
    @Benchmark
    public boolean anchorPlainCounter() {
        PlainLease l = plainLease;
        int s = l.spare;
        if (s > 0 && epoch == 0) {
            l.spare = s - 1;
            int t = l.spare;
            if (t < l.keep) {
                l.spare = t + 1;
            }
            return true;
        }
        return false;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int anchorPlainCounterBatch() {
        PlainLease l = plainLease;
        int admitted = 0;
        for (int k = 0; k < BATCH; k++) {
            int s = l.spare;
            if (s > 0 && epoch == 0) {
                l.spare = s - 1;
                admitted++;
                int t = l.spare;
                if (t < l.keep) {
                    l.spare = t + 1;
                }
            }
        }
        return admitted;
    }

    @Benchmark
    public boolean anchorResilience4jBreakerCheck() {
        return breaker.tryAcquirePermission();
    }

    @Benchmark
    public boolean anchorResilience4jBreakerCheckAndSuccess() {
        boolean permitted = breaker.tryAcquirePermission();
        if (permitted) {
            breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        }
        return permitted;
    }

    @Benchmark
    public boolean anchorResilience4jRateLimiter() {
        return limiter.acquirePermission();
    }

    // ---- batched: per-check cost without the ~1 ns harness call (see the class Javadoc) -------

    /** {@code breakerCheckOnLoop}, {@value #BATCH} times per invocation. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int breakerCheckOnLoopBatch(Loop loop) {
        dev.meridian.engine.cluster.breaker.CircuitBreaker b = meridianBreaker;
        int slot = loop.slot;
        int admitted = 0;
        for (int k = 0; k < BATCH; k++) {
            if (b.tryAcquireOn(slot, dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS)) {
                admitted++;
                b.releaseOn(slot, dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
            }
        }
        return admitted;
    }

    /** {@code breakerCheck} (each call finds the loop slot), {@value #BATCH} times per invocation. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int breakerCheckBatch() {
        dev.meridian.engine.cluster.breaker.CircuitBreaker b = meridianBreaker;
        int admitted = 0;
        for (int k = 0; k < BATCH; k++) {
            if (b.tryAcquire(dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS)) {
                admitted++;
                b.release(dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
            }
        }
        return admitted;
    }

    /** {@code heldBitsAcquireRelease}, {@value #BATCH} requests per invocation. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int heldBitsAcquireReleaseBatch() {
        dev.meridian.engine.cluster.breaker.CircuitBreaker b = meridianBreaker;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            int held = b.tryAcquire(0, dev.meridian.engine.cluster.breaker.BreakerResource.REQUESTS);
            x ^= held;
            if (held > 0) {
                b.releaseAll(held);
            }
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int anchorResilience4jBreakerCheckBatch() {
        CircuitBreaker b = breaker;
        int admitted = 0;
        for (int k = 0; k < BATCH; k++) {
            if (b.tryAcquirePermission()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int anchorResilience4jBreakerCheckAndSuccessBatch() {
        CircuitBreaker b = breaker;
        int admitted = 0;
        for (int k = 0; k < BATCH; k++) {
            if (b.tryAcquirePermission()) {
                admitted++;
                b.onSuccess(0, TimeUnit.NANOSECONDS);
            }
        }
        return admitted;
    }
}
