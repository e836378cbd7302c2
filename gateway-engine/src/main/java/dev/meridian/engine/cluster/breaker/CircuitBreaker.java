package dev.meridian.engine.cluster.breaker;

/**
 * One cluster's circuit breaker: counters of connections, pending requests, requests and retries
 * in flight, each refused beyond its threshold (Envoy's circuit breaking, which is load shedding
 * rather than a closed/open state machine).
 *
 * <p>Three ways to use it, all lock-free:
 * <ul>
 *   <li>{@link #tryAcquire(int, BreakerResource)} and friends — what one request holds as bits of
 *       an {@code int} the caller keeps, for a holder confined to one thread (the exchange on its
 *       event loop): nothing to allocate per request, each unit still returned exactly once;</li>
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

    /**
     * Takes {@code resource} into {@code held} (bit {@code 1 << ordinal}) unless it is there
     * already, in which case nothing is taken (a request counts once however many retries it
     * makes). Returns the new held set, or -1 when the threshold refuses it ({@code held} is then
     * unchanged for the caller). {@code held} must belong to the calling thread alone.
     */
    default int tryAcquire(int held, BreakerResource resource) {
        int bit = 1 << resource.ordinal();
        if ((held & bit) != 0) {
            return held;
        }
        return tryAcquire(resource) ? held | bit : -1;
    }

    /** Gives {@code resource} back if {@code held} has it; returns the held set without it. */
    default int release(int held, BreakerResource resource) {
        int bit = 1 << resource.ordinal();
        if ((held & bit) == 0) {
            return held;
        }
        release(resource);
        return held & ~bit;
    }

    /** Gives back everything in {@code held}; returns 0, the empty set, to store back. */
    default int releaseAll(int held) {
        while (held != 0) {
            int ordinal = Integer.numberOfTrailingZeros(held);
            held &= held - 1;
            release(BreakerResource.ofOrdinal(ordinal));
        }
        return 0;
    }

    /** Whether {@code held} (see {@link #tryAcquire(int, BreakerResource)}) has {@code resource}. */
    static boolean holds(int held, BreakerResource resource) {
        return (held & (1 << resource.ordinal())) != 0;
    }

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
