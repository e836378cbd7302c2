package dev.meridian.engine.cluster.breaker;

import dev.meridian.engine.cluster.LoopLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CircuitBreaker} of four exact atomic counters, from which each event loop leases small
 * chunks of units while the cluster is far below a threshold, so that a request's acquire and
 * release are plain writes to its own loop's slot instead of two atomic operations on a shared line.
 *
 * <p><b>Exactness.</b> A global counter holds every unit in use <em>or leased</em>: a loop takes a
 * chunk with one compare-and-set, then admits requests from it with plain writes, and gives units
 * back in chunks. Units in flight never exceed what the global counter holds, and the counter
 * never exceeds the threshold, so the threshold is never passed — not even transiently, and with
 * any number of threads. The price is the other side: a loop may hold up to one chunk of unused
 * units ({@code max / 64}, at most 64) that other loops cannot use, so with loops idle the
 * cluster may refuse up to that many units per idle loop <em>early</em>. Leases are only taken
 * below three quarters of the threshold; above it every acquire is an exact compare-and-set and
 * every release returns its unit at once, so busy loops near the threshold hold nothing spare.
 * (Envoy takes the opposite trade: a check and a separate increment that may let concurrent
 * workers pass the threshold by a few.)
 *
 * <p>Where leasing does not apply — thresholds below {@value #MIN_LEASED_MAX} (a chunk would be
 * under 2 units), {@code max_retries} (its budget moves with the active request count), threads
 * without a {@link LoopLocal} slot — acquire is a compare-and-set loop on the global counter,
 * never increment-then-undo, exactly as before.
 *
 * <p>Each global counter sits on its own cache line (a stride of 16 ints). Overflows are
 * {@link LongAdder}s: they are written under overload, exactly when contention is worst, and read
 * only by stats.
 */
final class AtomicCircuitBreaker implements CircuitBreaker {

    private static final int STRIDE = 16;
    private static final BreakerResource[] RESOURCES = BreakerResource.values();
    private static final int RETRIES = BreakerResource.RETRIES.ordinal();
    /** Below this threshold a chunk ({@code max >> 6}) would be under 2 units: no leasing. */
    static final int MIN_LEASED_MAX = 128;
    /** The largest chunk a loop leases; keeps the units idle loops can strand small. */
    static final int MAX_CHUNK = 64;
    private static final VarHandle SPARE = MethodHandles.arrayElementVarHandle(int[].class);

    private final AtomicIntegerArray counts = new AtomicIntegerArray(RESOURCES.length * STRIDE);
    private final LongAdder[] overflows = new LongAdder[RESOURCES.length];
    private final LoopLocal<Lease> leases = LoopLocal.create(Lease::new);
    private volatile Plan plan;

    AtomicCircuitBreaker(BreakerLimits limits) {
        this.plan = new Plan(Objects.requireNonNull(limits, "limits"));
        for (int i = 0; i < overflows.length; i++) {
            overflows[i] = new LongAdder();
        }
    }

    /**
     * The limits and what they allow loops to lease, replaced whole on {@link #reconfigure}; a
     * lease taken under an older plan is returned before its units are used.
     */
    private static final class Plan {
        final BreakerLimits limits;
        /** Units per lease by resource, 0 when the resource is never leased. */
        final int[] chunk = new int[RESOURCES.length];
        /** Leases are taken, and spare units kept, only while the global count is at most this. */
        final int[] leaseBelow = new int[RESOURCES.length];

        Plan(BreakerLimits limits) {
            this.limits = limits;
            for (BreakerResource r : RESOURCES) {
                int max = limits.max(r);
                if (r.ordinal() != RETRIES && max >= MIN_LEASED_MAX) {
                    chunk[r.ordinal()] = Math.min(MAX_CHUNK, max >> 6);
                    leaseBelow[r.ordinal()] = max - (max >> 2);
                }
            }
        }
    }

    /** One event loop's unused leased units per resource; written only by its owner. */
    private static final class Lease extends LoopLocal.Slot {
        /** Read by other threads (with getOpaque) only to compute {@link #active}. */
        final int[] spare = new int[RESOURCES.length];
        Plan plan;

        Lease(Thread owner) {
            super(owner);
        }
    }

    @Override
    public boolean tryAcquire(BreakerResource resource) {
        int r = resource.ordinal();
        Plan p = plan;
        Lease l = leases.get();
        if (l != null) {
            if (l.plan == p) {
                int s = l.spare[r];
                if (s > 0) {
                    // The fast path: a unit this loop already holds (spare > 0 implies a leased resource).
                    SPARE.setOpaque(l.spare, r, s - 1);
                    return true;
                }
            } else {
                // Thresholds changed: what this loop leased under the old ones goes back first.
                returnAll(l);
                l.plan = p;
            }
            if (p.chunk[r] != 0) {
                return acquireLeased(l, r, p);
            }
        }
        return acquireExact(resource, r);
    }

    private boolean acquireExact(BreakerResource resource, int r) {
        int at = r * STRIDE;
        int max = limit(resource);
        for (;;) {
            int c = counts.get(at);
            if (c >= max) {
                overflows[r].increment();
                return false;
            }
            if (counts.compareAndSet(at, c, c + 1)) {
                return true;
            }
        }
    }

    /** This loop has no spare unit: lease a chunk, or take one unit exactly. */
    private boolean acquireLeased(Lease l, int r, Plan p) {
        int at = r * STRIDE;
        int chunk = p.chunk[r];
        int max = p.limits.max(RESOURCES[r]);
        for (;;) {
            int c = counts.get(at);
            if (c + chunk <= p.leaseBelow[r]) {
                // Far below the threshold: take a chunk, use one unit, keep the rest.
                if (counts.compareAndSet(at, c, c + chunk)) {
                    SPARE.setOpaque(l.spare, r, chunk - 1);
                    return true;
                }
            } else if (c >= max) {
                overflows[r].increment();
                return false;
            } else if (counts.compareAndSet(at, c, c + 1)) {
                return true; // near the threshold: exactly one unit
            }
        }
    }

    @Override
    public void release(BreakerResource resource) {
        int r = resource.ordinal();
        Plan p = plan;
        int chunk = p.chunk[r];
        if (chunk != 0) {
            Lease l = leases.get();
            if (l != null && l.plan == p) {
                int s = l.spare[r] + 1;
                int at = r * STRIDE;
                if (s <= chunk && counts.get(at) <= p.leaseBelow[r]) {
                    SPARE.setOpaque(l.spare, r, s); // keep it for this loop's next request
                    return;
                }
                // Over a chunk spare, or near the threshold: give back all but what we keep.
                int keep = s > chunk ? chunk >> 1 : 0;
                SPARE.setOpaque(l.spare, r, keep);
                counts.addAndGet(at, keep - s);
                return;
            }
        }
        int left = counts.decrementAndGet(r * STRIDE);
        assert left >= 0 : resource + " released more often than acquired";
    }

    private void returnAll(Lease l) {
        for (int r = 0; r < RESOURCES.length; r++) {
            int s = l.spare[r];
            if (s != 0) {
                SPARE.setOpaque(l.spare, r, 0);
                counts.addAndGet(r * STRIDE, -s);
            }
        }
    }

    @Override
    public BreakerGuard guard() {
        return new BreakerGuard(this);
    }

    /**
     * Units in use: the global count less what loops hold spare. The sum is not one atomic
     * snapshot, so under concurrent leasing a reading may be off by a chunk; it is exact when
     * nothing moves, and admission never depends on it (except the retry budget, see class doc).
     */
    @Override
    public int active(BreakerResource resource) {
        int r = resource.ordinal();
        int n = counts.get(r * STRIDE);
        if (leases.claimed() > 0) {
            for (int i = 0; i < leases.capacity(); i++) {
                Lease l = leases.slot(i);
                if (l != null) {
                    n -= (int) SPARE.getOpaque(l.spare, r);
                }
            }
        }
        return Math.max(0, n);
    }

    @Override
    public long overflows(BreakerResource resource) {
        return overflows[resource.ordinal()].sum();
    }

    @Override
    public int limit(BreakerResource resource) {
        BreakerLimits l = plan.limits;
        if (resource == BreakerResource.RETRIES && l.retryBudget() != null) {
            return l.retryBudget().maxActiveRetries(active(BreakerResource.REQUESTS));
        }
        return l.max(resource);
    }

    @Override
    public BreakerLimits limits() {
        return plan.limits;
    }

    @Override
    public void reconfigure(BreakerLimits limits) {
        this.plan = new Plan(Objects.requireNonNull(limits, "limits"));
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
