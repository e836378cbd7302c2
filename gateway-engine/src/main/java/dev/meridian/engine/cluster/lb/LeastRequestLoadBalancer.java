package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.internal.LoopLocal;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Least request by the power of two choices: sample two distinct endpoints at random and take the
 * one with fewer requests in flight.
 *
 * <p>Two random choices avoid the herd effect of a global "least loaded" (every event loop piling
 * onto the same idle endpoint) while staying exponentially close to it in balance, and cost two
 * volatile reads. When weights differ, load is compared as {@code (active + 1) / weight}, Envoy's
 * {@code weight / (active + 1)^bias} with its default bias of 1: the {@code + 1} lets weights count
 * even when both choices are idle. The comparison is cross-multiplied in {@code long}s, so there is
 * no division and no overflow.
 *
 * <p>The two choices come from one step of a per-event-loop SplitMix64 generator ({@link LoopLocal}):
 * its high and low 32 bits, each mapped onto its range by a multiply and a shift (Lemire's
 * method) rather than {@code ThreadLocalRandom.nextInt(bound)}, whose modulo and rejection loop
 * cost two integer divisions per pick. The bias of the multiply-shift is below {@code n / 2^32}.
 * A thread without a generator of its own falls back to {@code ThreadLocalRandom}.
 */
final class LeastRequestLoadBalancer implements LoadBalancer {

    private final List<Endpoint> list;
    private final Endpoint[] endpoints;
    private final boolean weighted;
    private final Eligibility eligibility;
    private final LoopLocal<SplitMix> local = LoopLocal.create(SplitMix::new, SplitMix[]::new);
    /** {@code local}'s array, indexed directly by the pick: loop slot {@code loop} at {@code loop + 1}. */
    private final SplitMix[] generators = local.array();

    LeastRequestLoadBalancer(List<Endpoint> endpoints, int panicThresholdPercent) {
        this.list = List.copyOf(endpoints);
        this.endpoints = list.toArray(new Endpoint[0]);
        boolean differ = false;
        for (Endpoint e : this.endpoints) {
            differ |= e.weight() != this.endpoints[0].weight();
        }
        this.weighted = differ;
        this.eligibility = new Eligibility(this.endpoints, panicThresholdPercent);
    }

    @Override
    public Endpoint pick(long hash, Endpoint avoid) {
        return pick(LoopLocal.currentSlot(), hash, avoid);
    }

    @Override
    public Endpoint pick(int loop, long hash, Endpoint avoid) {
        int n = endpoints.length;
        if (n <= 1) {
            if (n == 0) {
                return null;
            }
            Endpoint only = endpoints[0];
            return only != avoid && only.available() ? only : eligibility.fallback(0, avoid, eligibility.panic());
        }
        SplitMix g = generators[loop + 1];
        if (g == null) {
            g = local.get(loop); // the loop's first pick, or NO_SLOT (null: ThreadLocalRandom)
        }
        long r = g != null ? g.next() : ThreadLocalRandom.current().nextLong();
        int i = (int) (((r >>> 32) * n) >>> 32);
        int j = (int) (((r & 0xFFFFFFFFL) * (n - 1)) >>> 32);
        // j >= i moves up by one: distinct from i, still uniform over the others. Without a branch,
        // since it is taken half the time at random and a misprediction costs more than the pick.
        j += (i - j - 1) >>> 31;
        Endpoint a = endpoints[i];
        Endpoint b = endpoints[j];
        boolean aUp = a != avoid && a.available();
        boolean bUp = b != avoid && b.available();
        if (aUp && bUp) {
            return lessLoaded(a, b);
        }
        boolean panic = eligibility.panic();
        aUp = Eligibility.eligible(a, avoid, panic);
        bUp = Eligibility.eligible(b, avoid, panic);
        if (aUp && bUp) {
            return lessLoaded(a, b);
        }
        if (aUp) {
            return a;
        }
        if (bUp) {
            return b;
        }
        return eligibility.fallback(i, avoid, panic);
    }

    @Override
    public boolean panic() {
        return endpoints.length > 0 && eligibility.panic();
    }

    private Endpoint lessLoaded(Endpoint a, Endpoint b) {
        int activeA = a.activeRequests();
        int activeB = b.activeRequests();
        if (!weighted) {
            return activeB < activeA ? b : a;
        }
        // (activeB + 1) / wB < (activeA + 1) / wA  <=>  (activeB + 1) * wA < (activeA + 1) * wB
        return (activeB + 1L) * a.weight() < (activeA + 1L) * b.weight() ? b : a;
    }

    @Override
    public List<Endpoint> endpoints() {
        return list;
    }

    /**
     * One event loop's SplitMix64 generator (Steele, Lea and Flood; what {@code SplittableRandom}
     * uses): the state advances by one addition, so consecutive picks are chained by a single add,
     * and the mixing of each output runs off that chain. Written only by its owner.
     */
    private static final class SplitMix extends LoopLocal.Slot {
        private static final long GAMMA = 0x9E3779B97F4A7C15L;
        private long state;

        SplitMix(Thread creator) {
            super(creator);
            this.state = ThreadLocalRandom.current().nextLong();
        }

        long next() {
            long z = state += GAMMA;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
