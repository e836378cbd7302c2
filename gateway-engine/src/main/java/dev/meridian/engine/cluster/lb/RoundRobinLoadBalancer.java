package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.EndpointState;
import dev.meridian.engine.internal.LoopLocal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round-robin (nginx's algorithm): heavier endpoints get proportionally more
 * requests, interleaved rather than in bursts, so 5:1:1 gives {@code a a b a c a a}.
 *
 * <p>nginx runs the algorithm per pick under a lock. Here the whole cycle is computed once, at
 * construction, into an {@code int[]} of endpoint indexes, and a pick walks it. Weights are first
 * divided by their gcd (1:1 and 5:5 give the same two-entry cycle). A cycle longer than
 * {@value #MAX_SEQUENCE_LENGTH} entries is replaced by one of scaled weights, each at least 1: the
 * proportions then hold to within about one part in a few thousand. The cycle is also kept as
 * the endpoints themselves, in cycle order, so a pick is one array load.
 *
 * <p>Each event loop walks the cycle with its own cursor ({@link LoopLocal}, Envoy's per-worker
 * balancer state): a plain field increment, where one counter shared by all loops cost an atomic
 * increment and a contended cache line per pick (~14 ns on the benchmark host against ~1 ns).
 * Every loop's picks follow the weights exactly over each full cycle, so their sum does too. The
 * first loop to pick starts at the head of the cycle (one thread sees nginx's exact order); the
 * others start at offsets spread over the cycle by the golden ratio, so after a config swap the
 * loops' first requests do not all go to the same endpoint. A thread without a loop slot (see
 * {@link LoopLocal}) shares one atomic counter, as every pick did before. The proxy hands its
 * loop slot to {@link #pick(int, long, Endpoint)}, so its pick is the cursor step alone.
 *
 * <p>The cursor also caches whether every endpoint was available at the current
 * {@linkplain EndpointState#availabilityVersion() availability version} (a process-wide counter
 * that every health or ejection change bumps). While that holds, a pick compares one version
 * with the cursor's and steps: it reads no endpoint's state, and a loop without a cursor yet
 * fails the same compare (a sentinel cursor fills the unclaimed slots), so the pick has no null
 * test either. After any change, each loop scans its cluster's endpoints once and goes on with
 * per-endpoint checks while some endpoint is down.
 *
 * <p>When the cycle's endpoint is not eligible (unavailable, or the one a retry avoids), the pick
 * moves on along the cycle (up to one slot per endpoint) rather than to the array neighbour, so
 * the share of a down endpoint spreads over the others by weight instead of doubling one of them.
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

    /** Longest precomputed cycle: 256 KiB of ints and as many of references per cluster at most. */
    static final int MAX_SEQUENCE_LENGTH = 65536;

    private final List<Endpoint> list;
    private final Endpoint[] endpoints;
    private final int[] sequence;
    /** The cycle as endpoints, {@code ring[k] = endpoints[sequence[k]]}: a pick is one load. */
    private final Endpoint[] ring;
    private final LoopLocal<Cursor> local;
    /** {@code local}'s array, indexed directly by the pick: loop slot {@code loop} at {@code loop + 1}. */
    private final Cursor[] cursors;
    private final AtomicInteger shared = new AtomicInteger();
    private final Eligibility eligibility;

    RoundRobinLoadBalancer(List<Endpoint> endpoints) {
        this(endpoints, LoadBalancer.DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    RoundRobinLoadBalancer(List<Endpoint> endpoints, int panicThresholdPercent) {
        this.list = List.copyOf(endpoints);
        this.endpoints = list.toArray(new Endpoint[0]);
        this.sequence = smoothSequence(weights(this.endpoints));
        this.ring = new Endpoint[sequence.length];
        for (int k = 0; k < sequence.length; k++) {
            ring[k] = this.endpoints[sequence[k]];
        }
        this.local = LoopLocal.create(this::newCursor, Cursor[]::new, NONE);
        this.cursors = local.array();
        this.eligibility = new Eligibility(this.endpoints, panicThresholdPercent);
    }

    @Override
    public Endpoint pick(long hash, Endpoint avoid) {
        return pick(LoopLocal.currentSlot(), hash, avoid);
    }

    @Override
    public Endpoint pick(int loop, long hash, Endpoint avoid) {
        Cursor c = cursors[loop + 1];
        // One compare stands for three tests: this loop has a cursor (NONE's never matches), the
        // cycle is not empty, and every endpoint was available when availability last changed
        // anywhere (so no endpoint of this pick needs reading: no load of its state).
        if (c.allUpAt == EndpointState.availabilityVersion()) {
            Endpoint[] r = ring;
            int p = c.position;
            // A compare rather than a modulo: an integer division costs more than the rest of the pick.
            c.position = p + 1 == r.length ? 0 : p + 1;
            Endpoint e = r[p];
            if (e != avoid) {
                return e; // the common case: a plain cursor step, no availability read, no atomic
            }
            return skip(c, p, avoid);
        }
        return pickChecked(loop, c, avoid);
    }

    /**
     * The pick when the fast path's cached verdict does not hold: the loop's first pick, a thread
     * without a loop slot, an empty cluster, or some endpoint (anywhere) changed availability
     * since this loop last looked, in which case the verdict is renewed first.
     */
    private Endpoint pickChecked(int loop, Cursor c, Endpoint avoid) {
        if (c == NONE) {
            c = local.get(loop); // the loop's first pick, or NO_SLOT (null: the shared counter)
        }
        Endpoint[] r = ring;
        int length = r.length;
        if (length == 0) {
            return null; // before renew: an empty cycle must never pass the fast path
        }
        if (c == null) {
            int p = (shared.getAndIncrement() & Integer.MAX_VALUE) % length;
            Endpoint e = r[p];
            return e != avoid && e.available() ? e : skip(null, p, avoid);
        }
        renew(c);
        int p = c.position;
        c.position = p + 1 == length ? 0 : p + 1;
        Endpoint e = r[p];
        if (e != avoid && e.available()) {
            return e;
        }
        return skip(c, p, avoid);
    }

    /**
     * Records in {@code c} whether every endpoint is available, at the availability version read
     * <em>before</em> looking at them: a change during the scan bumps the version past the one
     * recorded, so the fast path stops trusting the verdict rather than keep a wrong one. Only
     * after a change (rare: health checks, ejections) does a loop scan again.
     */
    private void renew(Cursor c) {
        long version = EndpointState.availabilityVersion();
        if (c.checkedAt == version) {
            return; // some endpoint is down: picks read availability until the next change
        }
        boolean allUp = true;
        for (Endpoint e : endpoints) {
            allUp &= e.available();
        }
        c.checkedAt = version;
        c.allUpAt = allUp ? version : NEVER;
    }

    /**
     * The cycle's endpoint at position {@code p} is not eligible: walk on along the cycle, up to
     * one slot per endpoint, so a down endpoint's share spreads over the others by weight.
     */
    private Endpoint skip(Cursor c, int p, Endpoint avoid) {
        int n = endpoints.length;
        boolean panic = eligibility.panic();
        int i = sequence[p];
        Endpoint e = endpoints[i];
        for (int k = 0; k < n; k++) {
            if (Eligibility.eligible(e, avoid, panic)) {
                return e;
            }
            i = nextIndex(c);
            e = endpoints[i];
        }
        return eligibility.fallback(i, avoid, panic);
    }

    private int nextIndex(Cursor c) {
        if (c == null) {
            // The mask keeps the index non-negative once the counter wraps after 2^31 picks.
            return sequence[(shared.getAndIncrement() & Integer.MAX_VALUE) % sequence.length];
        }
        int p = c.position;
        c.position = p + 1 == sequence.length ? 0 : p + 1;
        return sequence[p];
    }

    /** {@link Cursor#allUpAt} that no availability version equals (they start at 0 and only grow). */
    private static final long NEVER = -1;
    /** What {@link #cursors} holds for loops without a cursor yet, and for {@code NO_SLOT}: fails the fast path. */
    private static final Cursor NONE = new Cursor(null, 0);

    private Cursor newCursor(Thread creator) {
        // Fibonacci hashing of the claim order: 0 for the first loop, then well spread.
        int start = (int) (((local.claimed() * 0x9E3779B9L) & 0xFFFFFFFFL) * sequence.length >>> 32);
        return new Cursor(creator, start);
    }

    /** One event loop's position in the cycle and its cached availability verdict; written only by its owner. */
    private static final class Cursor extends LoopLocal.Slot {
        int position;
        /** The availability version at which every endpoint was available, else {@link #NEVER}. */
        long allUpAt = NEVER;
        /** The availability version {@link #allUpAt} was decided at, else {@link #NEVER}. */
        long checkedAt = NEVER;

        Cursor(Thread creator, int position) {
            super(creator);
            this.position = position;
        }
    }

    @Override
    public boolean panic() {
        return endpoints.length > 0 && eligibility.panic();
    }

    @Override
    public List<Endpoint> endpoints() {
        return list;
    }

    /** The precomputed cycle of endpoint indexes, for tests. */
    int[] sequence() {
        return sequence.clone();
    }

    private static int[] weights(Endpoint[] endpoints) {
        int[] w = new int[endpoints.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = endpoints[i].weight();
        }
        return w;
    }

    /** nginx's smooth weighted round-robin over one full cycle. */
    static int[] smoothSequence(int[] weights) {
        int n = weights.length;
        if (n == 0) {
            return new int[0];
        }
        int[] w = reduce(weights);
        long total = sum(w);
        if (total > MAX_SEQUENCE_LENGTH) {
            for (int i = 0; i < n; i++) {
                w[i] = (int) Math.max(1, Math.round((double) w[i] * MAX_SEQUENCE_LENGTH / total));
            }
            w = reduce(w);
            total = sum(w);
        }
        int length = (int) total;
        int[] sequence = new int[length];
        long[] current = new long[n];
        for (int step = 0; step < length; step++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                current[i] += w[i];
                // Strictly greater: ties go to the earlier endpoint, as in nginx.
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            sequence[step] = best;
        }
        return sequence;
    }

    private static int[] reduce(int[] weights) {
        int g = 0;
        for (int w : weights) {
            g = gcd(g, w);
        }
        int[] reduced = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = weights[i] / g;
        }
        return reduced;
    }

    private static long sum(int[] w) {
        long s = 0;
        for (int x : w) {
            s += x;
        }
        return s;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
