package dev.meridian.engine.cluster.breaker;

import dev.meridian.engine.internal.LoopLocal;

/**
 * One cluster's circuit breaker: counters of connections, pending requests, requests and retries
 * in flight, each refused beyond its threshold (Envoy's circuit breaking, which is load shedding
 * rather than a closed/open state machine).
 *
 * <p>Three ways to use it, all lock-free:
 * <ul>
 *   <li>{@link #tryAcquire(int, BreakerResource)} and friends — what one request holds as bits of
 *       an {@code int} the caller keeps, for a holder confined to one thread (the exchange on its
 *       event loop): nothing to allocate per request, each unit still returned exactly once; the
 *       first acquire also records the event loop's slot, so the request's later calls (and its
 *       pick, {@link #loopOf}) reach the loop's own state without finding it again;</li>
 *   <li>{@link #guard()} — one {@link BreakerGuard} per request that remembers what it holds and
 *       whose {@link BreakerGuard#releaseAll()} is idempotent, so the request's every ending
 *       (success, error, timeout, client abort) may call it;</li>
 *   <li>{@link #tryAcquire}/{@link #release} — raw counters for holders that track the pairing
 *       themselves, e.g. a connection releasing {@link BreakerResource#CONNECTIONS} in its close
 *       listener ({@link #tryAcquireOn}/{@link #releaseOn} when the caller knows its loop slot).</li>
 * </ul>
 *
 * <p>A breaker outlives config reloads while its cluster's name persists: the runtime
 * {@linkplain #reconfigure reconfigures} the same object, so requests of the old snapshot release
 * into the counters the new one acquires from.
 */
public interface CircuitBreaker {

    /** Bits of a held set that name resources ({@code 1 << ordinal}). */
    int RESOURCE_BITS = 0xFFFF;
    /** Where a held set records its loop slot, plus one (0: none recorded). */
    int LOOP_SHIFT = 16;

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
     * As {@link #tryAcquire(BreakerResource)}, on the calling event loop's {@code loop} slot
     * ({@link LoopLocal#currentSlot()}), which the caller found once: the breaker reaches the
     * loop's lease without finding it from the thread. {@code loop} must be the calling thread's
     * slot or {@link LoopLocal#NO_SLOT}.
     */
    default boolean tryAcquireOn(int loop, BreakerResource resource) {
        return tryAcquire(resource);
    }

    /**
     * As {@link #release(BreakerResource)}, on the calling event loop's {@code loop} slot (see
     * {@link #tryAcquireOn}); the unit may have been acquired on any loop.
     */
    default void releaseOn(int loop, BreakerResource resource) {
        release(resource);
    }

    /**
     * Takes {@code resource} into {@code held} (bit {@code 1 << ordinal}) unless it is there
     * already, in which case nothing is taken (a request counts once however many retries it
     * makes). Returns the new held set, or -1 when the threshold refuses it ({@code held} is then
     * unchanged for the caller). {@code held} must belong to the calling thread alone.
     *
     * <p>The first acquire into an empty set also records the calling thread's loop slot in it
     * (bits {@value #LOOP_SHIFT} and up), so that the request's further acquires and releases,
     * and its pick ({@link #loopOf}), reach the loop's state without finding it again: a held set
     * must be used on the event loop that filled it.
     */
    default int tryAcquire(int held, BreakerResource resource) {
        int bit = 1 << resource.ordinal();
        if ((held & bit) != 0) {
            return held;
        }
        held = withLoop(held);
        return tryAcquireOn((held >>> LOOP_SHIFT) - 1, resource) ? held | bit : -1;
    }

    /**
     * {@code held} with the calling thread's loop slot recorded in it when it has none yet (a
     * thread without a slot records nothing, and its units take the shared path).
     */
    static int withLoop(int held) {
        return held >>> LOOP_SHIFT != 0 ? held : held | (LoopLocal.currentSlot() + 1) << LOOP_SHIFT;
    }

    /** Gives {@code resource} back if {@code held} has it; returns the held set without it. */
    default int release(int held, BreakerResource resource) {
        int bit = 1 << resource.ordinal();
        if ((held & bit) == 0) {
            return held;
        }
        releaseOn((held >>> LOOP_SHIFT) - 1, resource);
        return held & ~bit;
    }

    /** Gives back everything in {@code held}; returns 0, the empty set, to store back. */
    default int releaseAll(int held) {
        int loop = (held >>> LOOP_SHIFT) - 1;
        int bits = held & RESOURCE_BITS;
        while (bits != 0) {
            int ordinal = Integer.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            releaseOn(loop, BreakerResource.ofOrdinal(ordinal));
        }
        return 0;
    }

    /** Whether {@code held} (see {@link #tryAcquire(int, BreakerResource)}) has {@code resource}. */
    static boolean holds(int held, BreakerResource resource) {
        return (held & (1 << resource.ordinal())) != 0;
    }

    /**
     * The loop slot recorded in {@code held} by its first acquire, else the calling thread's
     * ({@link LoopLocal#currentSlot()}): what the request hands to {@code LoadBalancer.pick}.
     */
    static int loopOf(int held) {
        int loop = (held >>> LOOP_SHIFT) - 1;
        return loop >= 0 ? loop : LoopLocal.currentSlot();
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
