package dev.meridian.engine.observe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link LatencyHistogram} striped by thread: each event loop owns one stripe of counters and
 * writes it with plain stores; readers sum the stripes.
 *
 * <p><b>Recording.</b> The bucket comes from the duration's highest set bit: a table gives the
 * first bound at or above that power of two, and because consecutive bounds are at least twice
 * apart, one comparison with that bound settles it — no search, no division. The stripe is
 * found from the thread id: the first thread to record into a slot owns it for good (one
 * compare-and-set) and is its only writer, so a record is two loads and two plain stores of its
 * own cache lines, where a shared {@code LongAdder} per bucket would cost an atomic add each. A
 * thread whose slot another thread owns (ids congruent modulo {@value #STRIPES}) adds atomically
 * to one shared stripe instead: slower, still exact.
 *
 * <p><b>Reading.</b> Owners publish with opaque stores and readers load with opaque loads, so a
 * snapshot sees every record that finished before it began, and each cell at some value it
 * really had.
 */
final class StripedLatencyHistogram implements LatencyHistogram {

    /** Stripes: a power of two well above the event loops of a large host (see {@code LoopLocal}). */
    static final int STRIPES = 64;
    /** Cell of a stripe holding the sum of durations, after the bucket counts. */
    private static final int SUM = BUCKETS;

    /** Upper bounds in nanoseconds; the last, for +Inf, is {@code Long.MAX_VALUE}. */
    static final long[] BOUND_NANOS = new long[BUCKETS];
    /** By highest set bit {@code k}: the first bucket whose bound is at least {@code 2^k}. */
    private static final int[] FIRST_AT_OR_ABOVE = new int[64];

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STRIPE = MethodHandles.arrayElementVarHandle(Stripe[].class);

    static {
        for (int i = 0; i < UPPER_BOUNDS_SECONDS.length; i++) {
            BOUND_NANOS[i] = Math.round(UPPER_BOUNDS_SECONDS[i] * 1e9);
            if (i > 0 && BOUND_NANOS[i] < 2 * BOUND_NANOS[i - 1]) {
                // The one-comparison lookup in record() relies on it.
                throw new ExceptionInInitializerError("bounds must at least double: " + UPPER_BOUNDS_SECONDS[i]);
            }
        }
        BOUND_NANOS[BUCKETS - 1] = Long.MAX_VALUE;
        for (int k = 0; k < 64; k++) {
            long low = k == 63 ? Long.MAX_VALUE : 1L << k;
            int i = 0;
            while (BOUND_NANOS[i] < low) {
                i++;
            }
            FIRST_AT_OR_ABOVE[k] = i;
        }
    }

    /** One thread's counters: the buckets, then the sum. */
    private static final class Stripe {
        final Thread owner;
        final long[] cells = new long[BUCKETS + 1];

        Stripe(Thread owner) {
            this.owner = owner;
        }
    }

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Stripe shared = new Stripe(null);

    /** The bucket of a duration of {@code nanos} (at least 0). */
    static int bucketOf(long nanos) {
        int i = FIRST_AT_OR_ABOVE[63 - Long.numberOfLeadingZeros(nanos | 1)];
        return nanos > BOUND_NANOS[i] ? i + 1 : i;
    }

    @Override
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        int i = bucketOf(v);
        Thread t = Thread.currentThread();
        Stripe s = stripes[(int) t.getId() & (STRIPES - 1)];
        if (s != null && s.owner == t) {
            long[] c = s.cells;
            CELL.setOpaque(c, i, c[i] + 1);
            CELL.setOpaque(c, SUM, c[SUM] + v);
            return;
        }
        recordElsewhere(t, i, v);
    }

    private void recordElsewhere(Thread t, int i, long v) {
        int slot = (int) t.getId() & (STRIPES - 1);
        Stripe s = stripes[slot];
        if (s == null) {
            Stripe mine = new Stripe(t);
            s = STRIPE.compareAndSet(stripes, slot, null, mine) ? mine : (Stripe) STRIPE.getVolatile(stripes, slot);
        }
        if (s.owner == t) {
            long[] c = s.cells;
            CELL.setOpaque(c, i, c[i] + 1);
            CELL.setOpaque(c, SUM, c[SUM] + v);
        } else {
            CELL.getAndAdd(shared.cells, i, 1L);
            CELL.getAndAdd(shared.cells, SUM, v);
        }
    }

    @Override
    public HistogramSnapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long sum = add(shared, counts);
        for (int k = 0; k < STRIPES; k++) {
            Stripe s = (Stripe) STRIPE.getAcquire(stripes, k);
            if (s != null) {
                sum += add(s, counts);
            }
        }
        return new HistogramSnapshot(counts, sum);
    }

    private static long add(Stripe s, long[] counts) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += (long) CELL.getOpaque(s.cells, i);
        }
        return (long) CELL.getOpaque(s.cells, SUM);
    }
}
