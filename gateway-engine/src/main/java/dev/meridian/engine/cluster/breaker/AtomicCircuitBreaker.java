package dev.meridian.engine.cluster.breaker;

import dev.meridian.engine.internal.LoopLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * slot, or the held-bits methods, which carry it): each loop's leases live in one flat
 * {@code long[]}, a lane of 128 bytes per loop slot (two cache lines, so neither two loops nor
 * the adjacent-line prefetcher share one), two words per resource: the lease word
 * {@code generation << 32 | spare} and its bound {@code generation << 32 | keep}, where the
 * generation is the plan's (it grows by one on each {@link #reconfigure}). An acquire is one
 * compare of the lease word with the current plan's {@code generation << 32} (greater means "this
 * plan's lease, a unit spare": a lease of an older plan, or an empty one, is never greater) and a
 * store of the word less one; a release is one compare of the word with its bound and a store of
 * the word plus one. No object per lease and no plan object on the way: the breaker's own fields
 * and one array slot, where leases as objects in per-plan arrays cost two more dependent loads
 * per check. A reconfigure starts a new generation, so each loop's next acquire takes the slow
 * path and gives back what it kept spare (lowered thresholds void what loops hold spare). A
 * release needs no generation test: a unit kept under an older plan is given back by the next
 * acquire before any use.
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
    /** Longs per loop slot in {@link #lanes}: 128 bytes, two cache lines, so the adjacent-line prefetcher pairs no two loops. */
    private static final int LANE_SHIFT = 4;
    /** Lanes: one per loop slot, plus lane 0 for {@code NO_SLOT}, which no acquire ever leases into. */
    private static final int LANES_LENGTH = (LoopLocal.SLOTS + 1) << LANE_SHIFT;
    private static final VarHandle LANE = MethodHandles.arrayElementVarHandle(long[].class);
    /** The low half of a lease word: spare units (or, in its bound, the units a release may keep). */
    private static final long UNITS = 0xFFFF_FFFFL;

    static {
        if (RESOURCES.length * 2 > 1 << LANE_SHIFT) {
            throw new ExceptionInInitializerError("a lane holds two words per resource");
        }
    }

    private final AtomicIntegerArray counts = new AtomicIntegerArray(RESOURCES.length * STRIDE);
    private final LongAdder[] overflows = new LongAdder[RESOURCES.length];

    /**
     * Every loop's leases: resource {@code r} of loop slot {@code loop} at
     * {@code (loop + 1) << LANE_SHIFT | r << 1} (the lease word {@code generation << 32 | spare})
     * and the next index (its bound, {@code generation << 32 | keep}). Lane 0, where {@code NO_SLOT}
     * (-1) lands, stays all zeros: no acquire passes its compare and no release its bound, so a
     * caller without a slot takes the slow path with no test of its own on the fast one. Only a
     * slot's owner writes its lane; {@link #active} reads the low halves of the lease words.
     */
    private final long[] lanes = new long[LANES_LENGTH];
    /**
     * The current plan's {@code generation << 32}, what an acquire compares its lease word with.
     * Written before {@link #plan} (see {@link #reconfigure}): a loop that saw a plan never then
     * reads an older generation, so a lease it moved to that plan is never misread as spare.
     */
    private volatile long generation;
    private volatile Plan plan;

    AtomicCircuitBreaker(BreakerLimits limits) {
        Plan p = new Plan(Objects.requireNonNull(limits, "limits"), 1);
        this.generation = p.base;
        this.plan = p;
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
        /** {@code generation << 32}: lease words and bounds of this plan's leases are this plus their units. */
        final long base;
        /** Units per lease by resource, 0 when the resource is never leased. */
        final int[] chunk = new int[RESOURCES.length];
        /** Leases are taken, and spare units kept, only while the global count is at most this. */
        final int[] leaseBelow = new int[RESOURCES.length];
        /**
         * The thresholds by resource ordinal. An array, not {@link BreakerLimits#max}'s enum switch:
         * compiled while only requests were counted, that switch was thrown away by the first burst
         * of new connections under load (an uncommon trap, then a C2 recompile on the proxy's core).
         */
        final int[] max = new int[RESOURCES.length];

        Plan(BreakerLimits limits, int generation) {
            this.limits = limits;
            this.base = (long) generation << 32;
            for (BreakerResource r : RESOURCES) {
                int max = limits.max(r);
                this.max[r.ordinal()] = max;
                if (r.ordinal() != RETRIES && max >= MIN_LEASED_MAX) {
                    chunk[r.ordinal()] = Math.min(MAX_CHUNK, max >> 6);
                    leaseBelow[r.ordinal()] = max - (max >> 2);
                }
            }
        }

        int generation() {
            return (int) (base >>> 32);
        }
    }

    @Override
    public boolean tryAcquire(BreakerResource resource) {
        // The generation before the slot: see acquire().
        long g = generation;
        return acquire(LoopLocal.currentSlot(), resource.ordinal(), g);
    }

    @Override
    public void release(BreakerResource resource) {
        releaseOn(LoopLocal.currentSlot(), resource);
    }

    @Override
    public boolean tryAcquireOn(int loop, BreakerResource resource) {
        return acquire(loop, resource.ordinal(), generation);
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
        long g = generation; // before the slot: see acquire()
        held = CircuitBreaker.withLoop(held);
        return acquire((held >>> LOOP_SHIFT) - 1, r, g) ? held | bit : -1;
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

    /** Where the lease word of resource {@code r} of loop slot {@code loop} is in {@link #lanes}. */
    private static int at(int loop, int r) {
        return (loop + 1) << LANE_SHIFT | r << 1;
    }

    /**
     * Takes a unit of {@code r} on {@code loop}, {@code g} being {@link #generation} as read by
     * the caller <em>before</em> anything else, the loop slot included. A volatile read orders
     * every later load after it, so read last it made the JIT load the slot, the lanes and the
     * lease word again for a release that follows in the same compiled code; read first, those
     * loads are made once for both, the slot found once for the pair. Reading it before the lane
     * is as safe as after: only this thread writes the lane, and a generation read after this
     * loop's last slow path is never older than the one that path wrote into the lane.
     */
    private boolean acquire(int loop, int r, long g) {
        int i = at(loop, r);
        long[] l = lanes;
        long w = l[i];
        // One compare for three tests: a lease of this plan (an older generation is smaller), a
        // unit spare (a word equal to the generation holds none), and a slot (lane 0 is all zeros).
        if (w > g) {
            // The fast path: a unit this loop already holds. A plain store: an opaque one costs
            // the JIT a barrier on both sides, and readers only use the low half (see active()).
            l[i] = w - 1;
            return true;
        }
        return loop >= 0 ? acquireOnLoop(loop, r, i) : acquireExact(r);
    }

    private void release(int loop, int r) {
        int i = at(loop, r);
        long[] l = lanes;
        long w = l[i];
        if (w < l[i + 1]) {
            // The fast path: keep the unit for this loop's next request. No generation test: a
            // unit kept under an older plan is only used after the acquire that gives it back.
            l[i] = w + 1;
            return;
        }
        if (loop >= 0) {
            releaseOnLoop(r, i, w);
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
    private boolean acquireOnLoop(int loop, int r, int i) {
        Plan p = plan;
        int chunk = p.chunk[r];
        long w = lanes[i];
        if (w >>> 32 != p.generation()) {
            if (w == 0 && chunk == 0) {
                return acquireExact(r); // a resource never leased gets no lease either
            }
            assert LoopLocal.isCurrent(loop) : "loop slot " + loop + " is not the calling thread's";
            // The loop's first lease, or thresholds changed: what it leased under the old ones
            // goes back first, and only then does the lane carry this plan's generation.
            giveBack(i, r, w);
            setLease(i, p.base, p.base);
        } else if ((w & UNITS) != 0) {
            // A unit of this plan's lease, missed by the fast path because a reconfigure had
            // already written the next generation but not yet its plan: still ours to use.
            LANE.setOpaque(lanes, i, w - 1);
            return true;
        }
        if (chunk == 0) {
            return acquireExact(r);
        }
        int at = r * STRIDE;
        int max = p.max[r];
        for (;;) {
            int c = counts.get(at);
            if (c + chunk <= p.leaseBelow[r]) {
                // Far below the threshold: take a chunk, use one unit, keep the rest.
                if (counts.compareAndSet(at, c, c + chunk)) {
                    setLease(i, p.base + chunk - 1, p.base + chunk);
                    return true;
                }
            } else if (c >= max) {
                lanes[i + 1] = p.base; // keep nothing
                overflows[r].increment();
                return false;
            } else if (counts.compareAndSet(at, c, c + 1)) {
                lanes[i + 1] = p.base; // near the threshold: exactly one unit, and releases return theirs at once
                return true;
            }
        }
    }

    /**
     * A release that may not simply keep its unit: the lease is from an older plan (or none yet),
     * holds its {@code keep} already, or the cluster was near the threshold at this loop's last visit.
     */
    private void releaseOnLoop(int r, int i, long w) {
        int at = r * STRIDE;
        Plan p = plan;
        if (w >>> 32 != p.generation()) {
            counts.decrementAndGet(at); // the unit goes straight back; the old lease on next acquire
            return;
        }
        int chunk = p.chunk[r];
        int s = (int) (w & UNITS) + 1;
        boolean roomy = counts.get(at) <= p.leaseBelow[r];
        if (roomy && s <= chunk) {
            setLease(i, p.base + s, p.base + chunk); // room again: keep it for this loop's next request
            return;
        }
        // Over a chunk spare (keep half, so a loop at a steady rate does not give and take every
        // time), or near the threshold (keep nothing): give back the rest.
        int keep = roomy ? chunk >> 1 : 0;
        setLease(i, p.base + keep, p.base + (roomy ? chunk : 0));
        counts.addAndGet(at, keep - s);
    }

    /** Returns the spare units of lease word {@code w} (at {@code i}) to the global counter. */
    private void giveBack(int i, int r, long w) {
        int spare = (int) (w & UNITS);
        if (spare != 0) {
            LANE.setOpaque(lanes, i, w - spare); // first, so that active() never counts them twice
            counts.addAndGet(r * STRIDE, -spare);
        }
    }

    /** The owner's write of its lease word (in one piece for {@link #active}) and of its bound. */
    private void setLease(int i, long word, long bound) {
        LANE.setOpaque(lanes, i, word);
        lanes[i + 1] = bound;
    }

    @Override
    public BreakerGuard guard() {
        return new BreakerGuard(this);
    }

    /**
     * Units in use: the global count less what loops hold spare. Only the low half of each lease
     * word is read, so even a plain long store split in two halves (which the JLS allows, 64-bit
     * HotSpot never does) hands it a whole spare count, old or new. The sum is not one atomic
     * snapshot, so under concurrent leasing a reading may be off by a chunk; it is exact when
     * nothing moves, and admission never depends on it (except the retry budget, see class doc).
     */
    @Override
    public int active(BreakerResource resource) {
        int r = resource.ordinal();
        int n = counts.get(r * STRIDE);
        for (int loop = 0; loop < LoopLocal.SLOTS; loop++) {
            n -= (int) ((long) LANE.getOpaque(lanes, at(loop, r)) & UNITS);
        }
        return Math.max(0, n);
    }

    @Override
    public long overflows(BreakerResource resource) {
        return overflows[resource.ordinal()].sum();
    }

    @Override
    public int limit(BreakerResource resource) {
        Plan p = plan;
        if (resource == BreakerResource.RETRIES && p.limits.retryBudget() != null) {
            return p.limits.retryBudget().maxActiveRetries(active(BreakerResource.REQUESTS));
        }
        return p.max[resource.ordinal()];
    }

    @Override
    public BreakerLimits limits() {
        return plan.limits;
    }

    /**
     * Synchronized so that two reconfigures publish generations in order (a control-plane call,
     * never on an event loop): the generation is written first, so an acquire that reads it can
     * only find leases of that plan or older ones, never a newer one it would misread.
     */
    @Override
    public synchronized void reconfigure(BreakerLimits limits) {
        Plan p = new Plan(Objects.requireNonNull(limits, "limits"), plan.generation() + 1);
        this.generation = p.base;
        this.plan = p;
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
