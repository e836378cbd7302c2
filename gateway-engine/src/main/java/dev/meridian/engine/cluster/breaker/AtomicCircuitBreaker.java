package dev.meridian.engine.cluster.breaker;

import dev.meridian.engine.internal.LoopLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CircuitBreaker} of four exact atomic counters, from which each event loop leases small
 * chunks of units while the cluster is far below a threshold, so that a request's acquire and
 * release are plain writes to its own loop's lease instead of two atomic operations on a shared line.
 *
 * <p><b>Exactness.</b> A global counter holds every unit in use <em>or leased</em>: a loop takes a
 * chunk with one compare-and-set, then admits requests from it with plain writes, and gives units
 * back in chunks. Units in flight never exceed what the global counter holds, and the counter
 * never exceeds the threshold, so the threshold is never passed — not even transiently, and with
 * any number of threads. The price is the other side: a loop may hold up to one chunk of unused
 * units ({@code max / 64}, at most 64) that other loops cannot use, so the cluster may refuse up
 * to that many units per loop <em>early</em>. Leases are only taken below three quarters of the
 * threshold; a loop that finds the count above that when it visits the global counter (its lease
 * ran dry, or holds a chunk spare) takes single units by compare-and-set and returns each release
 * at once until it finds room again. (Envoy takes the opposite trade: a check and a separate
 * increment that may let concurrent workers pass the threshold by a few.)
 *
 * <p><b>The fast paths</b> ({@link #tryAcquireOn}, {@link #releaseOn} with the caller's loop
 * slot, or the held-bits methods, which carry it): the loop's lease of the resource is one array
 * load away ({@code [(ordinal << 6 | loop) + 1]}); an acquire is one compare of its spare count
 * and a plain store; a release is a compare of its spare count with what it may keep and a plain
 * store. The acquire finds the lease in the current plan's own array, where a loop installs it
 * only once it holds nothing leased under an older plan: a reconfigure publishes a plan whose
 * array is empty, so each loop's next acquire takes the slow path and gives back what it kept
 * spare (lowered thresholds void what loops hold spare) without a plan compare on every acquire.
 * A release needs no plan at all and finds the lease in the breaker's array of every lease made:
 * a unit kept under an older plan is given back by the next acquire before any use.
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
    /** {@code LoopLocal.SLOTS} is {@code 1 << LOOP_BITS}: a lease's index is {@code ordinal << LOOP_BITS | loop}. */
    private static final int LOOP_BITS = Integer.numberOfTrailingZeros(LoopLocal.SLOTS);
    private static final VarHandle SPARE;
    private static final VarHandle LEASES = MethodHandles.arrayElementVarHandle(Lease[].class);
    /** Leases per breaker (and per plan): one per resource and loop slot, plus index 0 for {@code NO_SLOT}. */
    private static final int LEASE_SLOTS = (RESOURCES.length << LOOP_BITS) + 1;

    static {
        try {
            SPARE = MethodHandles.lookup().findVarHandle(Lease.class, "spare", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AtomicIntegerArray counts = new AtomicIntegerArray(RESOURCES.length * STRIDE);
    private final LongAdder[] overflows = new LongAdder[RESOURCES.length];
    /** What {@link #leases} holds where no lease was made: never written, it sends both fast paths to the slow ones. */
    private static final Lease NONE = new Lease();

    /**
     * Every lease made, one per resource and loop slot at {@code (ordinal << LOOP_BITS | loop) + 1},
     * by the slot's owner on its first acquire; {@link #NONE} until then. Index 0 is {@code NONE}
     * for good: a caller without a slot ({@code loop} -1 gives index 0 for every resource) takes
     * the slow path with no test of its own on the fast one. Releases and {@link #active} read
     * it; acquires read the plan's {@link Plan#leases}.
     */
    private final Lease[] leases = new Lease[LEASE_SLOTS];
    private volatile Plan plan;

    AtomicCircuitBreaker(BreakerLimits limits) {
        if (LoopLocal.SLOTS != 1 << LOOP_BITS) {
            throw new IllegalStateException("LoopLocal.SLOTS must be a power of two");
        }
        this.plan = new Plan(Objects.requireNonNull(limits, "limits"));
        for (int i = 0; i < overflows.length; i++) {
            overflows[i] = new LongAdder();
        }
        Arrays.fill(leases, NONE);
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
        /**
         * The leases an acquire may take a spare unit from without a further check, indexed as
         * the breaker's: {@link #NONE} until the slot's owner installs its lease, which it does
         * only after giving back what the lease kept under an older plan. Only owners write it.
         */
        final Lease[] leases = new Lease[LEASE_SLOTS];

        Plan(BreakerLimits limits) {
            this.limits = limits;
            for (BreakerResource r : RESOURCES) {
                int max = limits.max(r);
                if (r.ordinal() != RETRIES && max >= MIN_LEASED_MAX) {
                    chunk[r.ordinal()] = Math.min(MAX_CHUNK, max >> 6);
                    leaseBelow[r.ordinal()] = max - (max >> 2);
                }
            }
            Arrays.fill(leases, NONE);
        }
    }

    /**
     * One event loop's unused leased units of one resource: written only by the loop slot's
     * owner, with plain stores; {@link #active} reads {@code spare} from other threads.
     */
    private static final class Lease {
        /** Units taken from the global counter and not in use. */
        int spare;
        /**
         * How many units a release may keep spare without visiting the global counter: the chunk
         * while the global count was far below the threshold at this loop's last visit, else 0
         * (near the threshold every release returns its unit at once).
         */
        int keep;
        /** The plan {@code spare} was leased under. */
        Plan plan;
    }

    @Override
    public boolean tryAcquire(BreakerResource resource) {
        return tryAcquireOn(LoopLocal.currentSlot(), resource);
    }

    @Override
    public void release(BreakerResource resource) {
        releaseOn(LoopLocal.currentSlot(), resource);
    }

    @Override
    public boolean tryAcquireOn(int loop, BreakerResource resource) {
        return acquire(loop, resource.ordinal());
    }

    @Override
    public void releaseOn(int loop, BreakerResource resource) {
        release(loop, resource.ordinal());
    }

    /** The exchange's path; as the interface's default, without going through enum constants. */
    @Override
    public int tryAcquire(int held, BreakerResource resource) {
        int r = resource.ordinal();
        int bit = 1 << r;
        if ((held & bit) != 0) {
            return held;
        }
        held = CircuitBreaker.withLoop(held);
        return acquire((held >>> LOOP_SHIFT) - 1, r) ? held | bit : -1;
    }

    @Override
    public int release(int held, BreakerResource resource) {
        int r = resource.ordinal();
        int bit = 1 << r;
        if ((held & bit) == 0) {
            return held;
        }
        release((held >>> LOOP_SHIFT) - 1, r);
        return held & ~bit;
    }

    @Override
    public int releaseAll(int held) {
        int loop = (held >>> LOOP_SHIFT) - 1;
        int bits = held & RESOURCE_BITS;
        while (bits != 0) {
            int r = Integer.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            release(loop, r);
        }
        return 0;
    }

    private boolean acquire(int loop, int r) {
        // The plan's array holds only leases installed under it: no plan compare here.
        Lease l = plan.leases[(r << LOOP_BITS | loop) + 1];
        int s = l.spare;
        if (s > 0) {
            // The fast path: a unit this loop already holds. A compare and a plain store.
            l.spare = s - 1;
            return true;
        }
        return loop >= 0 ? acquireOnLoop(loop, r) : acquireExact(r);
    }

    private void release(int loop, int r) {
        Lease l = leases[(r << LOOP_BITS | loop) + 1];
        int s = l.spare;
        if (s < l.keep) {
            // The fast path: keep the unit for this loop's next request. No plan check: a unit
            // kept under an older plan is only used after the acquire that gives it back.
            l.spare = s + 1;
            return;
        }
        if (l != NONE) {
            releaseOnLoop(l, r, s);
            return;
        }
        int left = counts.decrementAndGet(r * STRIDE);
        assert left >= 0 : RESOURCES[r] + " released more often than acquired";
    }

    private boolean acquireExact(int r) {
        int at = r * STRIDE;
        int max = limit(RESOURCES[r]);
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

    /** This loop has no spare unit of {@code r} under the current plan: lease a chunk, or take one unit exactly. */
    private boolean acquireOnLoop(int loop, int r) {
        Plan p = plan;
        int i = (r << LOOP_BITS | loop) + 1;
        Lease l = leases[i];
        if (l == NONE) {
            if (p.chunk[r] == 0) {
                return acquireExact(r); // a resource never leased gets no lease object either
            }
            assert LoopLocal.isCurrent(loop) : "loop slot " + loop + " is not the calling thread's";
            l = new Lease();
            l.plan = p;
            LEASES.setRelease(leases, i, l); // only the owner writes its slot; readers acquire
            LEASES.setRelease(p.leases, i, l); // from now on this loop's acquires find it at once
        } else if (l.plan != p) {
            // Thresholds changed: what this loop leased under the old ones goes back first.
            giveBack(l, r, l.spare);
            l.keep = 0;
            l.plan = p;
            // Installed only now, with nothing spare from the old plan: the fast path trusts it.
            LEASES.setRelease(p.leases, i, l);
        }
        int chunk = p.chunk[r];
        if (chunk == 0) {
            return acquireExact(r);
        }
        int at = r * STRIDE;
        int max = p.limits.max(RESOURCES[r]);
        for (;;) {
            int c = counts.get(at);
            if (c + chunk <= p.leaseBelow[r]) {
                // Far below the threshold: take a chunk, use one unit, keep the rest.
                if (counts.compareAndSet(at, c, c + chunk)) {
                    setSpare(l, chunk - 1);
                    l.keep = chunk;
                    return true;
                }
            } else if (c >= max) {
                l.keep = 0;
                overflows[r].increment();
                return false;
            } else if (counts.compareAndSet(at, c, c + 1)) {
                l.keep = 0; // near the threshold: exactly one unit, and releases return theirs at once
                return true;
            }
        }
    }

    /**
     * A release that may not simply keep its unit: the lease is from an older plan, holds its
     * {@code keep} already, or the cluster was near the threshold at this loop's last visit.
     */
    private void releaseOnLoop(Lease l, int r, int spare) {
        int at = r * STRIDE;
        Plan p = plan;
        if (l.plan != p) {
            counts.decrementAndGet(at); // the unit goes straight back; the old lease on next acquire
            return;
        }
        int chunk = p.chunk[r];
        int s = spare + 1;
        boolean roomy = counts.get(at) <= p.leaseBelow[r];
        if (roomy && s <= chunk) {
            setSpare(l, s); // room again: keep it for this loop's next request
            l.keep = chunk;
            return;
        }
        // Over a chunk spare (keep half, so a loop at a steady rate does not give and take every
        // time), or near the threshold (keep nothing): give back the rest.
        int keep = roomy ? chunk >> 1 : 0;
        setSpare(l, keep);
        l.keep = roomy ? chunk : 0;
        counts.addAndGet(at, keep - s);
    }

    private void giveBack(Lease l, int r, int spare) {
        if (spare != 0) {
            setSpare(l, 0);
            counts.addAndGet(r * STRIDE, -spare);
        }
    }

    /** The owner's write of what it holds spare, in one piece for {@link #active}. */
    private static void setSpare(Lease l, int spare) {
        SPARE.setOpaque(l, spare);
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
        for (int loop = 0; loop < LoopLocal.SLOTS; loop++) {
            Lease l = (Lease) LEASES.getAcquire(leases, (r << LOOP_BITS | loop) + 1);
            n -= (int) SPARE.getOpaque(l);
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
