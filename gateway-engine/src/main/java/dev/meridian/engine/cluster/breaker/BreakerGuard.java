package dev.meridian.engine.cluster.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one request holds of its cluster's {@link CircuitBreaker}, released exactly once however
 * the request ends.
 *
 * <p>The guard keeps one bit per {@link BreakerResource} it holds. {@link #release} and
 * {@link #releaseAll} clear bits by compare-and-set and give a unit back only for a bit they
 * cleared themselves, so calling them from every ending path — success, failure, timeout, client
 * abort, even from two threads at once — returns each unit exactly once. Acquiring a resource the
 * guard already holds is a no-op that succeeds (a request counts once as "in a retry" however many
 * retries it makes).
 *
 * <p>A guard is one small object per request; after {@link #releaseAll} it may be reused. A
 * holder confined to one thread, like the proxy's exchange on its event loop, needs none of this
 * and keeps the same bits in an {@code int} field instead
 * ({@link CircuitBreaker#tryAcquire(int, BreakerResource)}), allocating nothing.
 */
public final class BreakerGuard {

    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(BreakerGuard.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final BreakerResource[] RESOURCES = BreakerResource.values();

    private final CircuitBreaker breaker;
    @SuppressWarnings("unused") // accessed through HELD
    private volatile int held;

    BreakerGuard(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    /** Takes {@code resource} unless already held; {@code false} when the breaker overflows. */
    public boolean tryAcquire(BreakerResource resource) {
        int bit = 1 << resource.ordinal();
        if ((held & bit) != 0) {
            return true;
        }
        if (!breaker.tryAcquire(resource)) {
            return false;
        }
        for (;;) {
            int h = held;
            if ((h & bit) != 0) {
                // Another thread acquired it for this guard meanwhile: keep one unit, not two.
                breaker.release(resource);
                return true;
            }
            if (HELD.compareAndSet(this, h, h | bit)) {
                return true;
            }
        }
    }

    /** Whether this guard holds {@code resource} now. */
    public boolean holds(BreakerResource resource) {
        return (held & (1 << resource.ordinal())) != 0;
    }

    /** Gives {@code resource} back if held (e.g. {@code PENDING_REQUESTS} once a connection is handed over). */
    public void release(BreakerResource resource) {
        int bit = 1 << resource.ordinal();
        for (;;) {
            int h = held;
            if ((h & bit) == 0) {
                return;
            }
            if (HELD.compareAndSet(this, h, h & ~bit)) {
                breaker.release(resource);
                return;
            }
        }
    }

    /** Gives back everything held; idempotent. Call it from every way the request ends. */
    public void releaseAll() {
        int h = (int) HELD.getAndSet(this, 0);
        while (h != 0) {
            int bit = Integer.lowestOneBit(h);
            h &= ~bit;
            breaker.release(RESOURCES[Integer.numberOfTrailingZeros(bit)]);
        }
    }
}
