package dev.meridian.engine.cluster.breaker;

/**
 * One cluster's circuit breaker: counters of connections, pending requests, requests and retries
 * in flight, each refused beyond its threshold (Envoy's circuit breaking, which is load shedding
 * rather than a closed/open state machine).
 *
 * <p>Two ways to use it, both lock-free and thread-safe:
 * <ul>
 *   <li>{@link #guard()} — one {@link BreakerGuard} per request that remembers what it holds and
 *       whose {@link BreakerGuard#releaseAll()} is idempotent, so the request's every ending
 *       (success, error, timeout, client abort) may call it;</li>
 *   <li>{@link #tryAcquire}/{@link #release} — raw counters for holders that track the pairing
 *       themselves, e.g. a connection releasing {@link BreakerResource#CONNECTIONS} in its close
 *       listener.</li>
 * </ul>
 *
 * <p>A breaker outlives config reloads while its cluster's name persists: the runtime
 * {@linkplain #reconfigure reconfigures} the same object, so requests of the old snapshot release
 * into the counters the new one acquires from.
 */
public interface CircuitBreaker {

    /** A breaker with {@code limits}. */
    static CircuitBreaker create(BreakerLimits limits) {
        return new AtomicCircuitBreaker(limits);
    }

    /**
     * Takes one unit of {@code resource}; {@code false} (and one more overflow counted) when the
     * threshold is reached. Pair every {@code true} with exactly one {@link #release}.
     */
    boolean tryAcquire(BreakerResource resource);

    /** Returns one unit of {@code resource} taken by {@link #tryAcquire}. */
    void release(BreakerResource resource);

    /** A new guard for one request; allocate it once per request (it is small and reusable). */
    BreakerGuard guard();

    /** Units of {@code resource} held now. */
    int active(BreakerResource resource);

    /** Acquisitions of {@code resource} refused since the breaker was created (the overflow stat). */
    long overflows(BreakerResource resource);

    /** The threshold that applies to {@code resource} now (the retry budget's, when configured). */
    int limit(BreakerResource resource);

    BreakerLimits limits();

    /** Applies new thresholds; units held stay held and are released into the same counters. */
    void reconfigure(BreakerLimits limits);
}
