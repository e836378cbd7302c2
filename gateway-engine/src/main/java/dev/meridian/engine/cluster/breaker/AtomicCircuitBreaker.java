package dev.meridian.engine.cluster.breaker;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CircuitBreaker} of four compare-and-set counters.
 *
 * <p>Each counter sits on its own cache line (a stride of 16 ints in one array) so that requests
 * acquiring {@code REQUESTS} on one event loop do not invalidate the line another loop reads for
 * {@code CONNECTIONS}. Acquisition is an exact check-and-increment (a CAS loop), never an
 * increment-then-undo, so a counter never shows more than its threshold to other readers.
 * Overflows are {@link LongAdder}s: they are written under overload, exactly when contention is
 * worst, and read only by stats.
 */
final class AtomicCircuitBreaker implements CircuitBreaker {

    private static final int STRIDE = 16;
    private static final BreakerResource[] RESOURCES = BreakerResource.values();

    private final AtomicIntegerArray counts = new AtomicIntegerArray(RESOURCES.length * STRIDE);
    private final LongAdder[] overflows = new LongAdder[RESOURCES.length];
    private volatile BreakerLimits limits;

    AtomicCircuitBreaker(BreakerLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        for (int i = 0; i < overflows.length; i++) {
            overflows[i] = new LongAdder();
        }
    }

    @Override
    public boolean tryAcquire(BreakerResource resource) {
        int at = resource.ordinal() * STRIDE;
        int max = limit(resource);
        for (;;) {
            int c = counts.get(at);
            if (c >= max) {
                overflows[resource.ordinal()].increment();
                return false;
            }
            if (counts.compareAndSet(at, c, c + 1)) {
                return true;
            }
        }
    }

    @Override
    public void release(BreakerResource resource) {
        int left = counts.decrementAndGet(resource.ordinal() * STRIDE);
        assert left >= 0 : resource + " released more often than acquired";
    }

    @Override
    public BreakerGuard guard() {
        return new BreakerGuard(this);
    }

    @Override
    public int active(BreakerResource resource) {
        return counts.get(resource.ordinal() * STRIDE);
    }

    @Override
    public long overflows(BreakerResource resource) {
        return overflows[resource.ordinal()].sum();
    }

    @Override
    public int limit(BreakerResource resource) {
        BreakerLimits l = limits;
        if (resource == BreakerResource.RETRIES && l.retryBudget() != null) {
            return l.retryBudget().maxActiveRetries(active(BreakerResource.REQUESTS));
        }
        return l.max(resource);
    }

    @Override
    public BreakerLimits limits() {
        return limits;
    }

    @Override
    public void reconfigure(BreakerLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CircuitBreaker{");
        for (BreakerResource r : RESOURCES) {
            sb.append(r.key()).append('=').append(active(r)).append('/').append(limit(r)).append(' ');
        }
        return sb.append('}').toString();
    }
}
