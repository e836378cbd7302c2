package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Weighted random: every pick draws an endpoint with probability proportional to its weight.
 *
 * <p>No shared state at all (Spring Cloud Gateway's other policy): each event loop draws from its
 * own {@link ThreadLocalRandom}, so picks never contend. Weighted draws binary-search a prefix sum
 * of the weights; equal weights take one {@code nextInt(n)}. An ineligible draw is redrawn a few
 * times (keeping the proportions among the others) before scanning.
 */
final class RandomLoadBalancer implements LoadBalancer {

    /** Redraws before falling back to a scan: with half the endpoints down, 3 misses in a row is 1 in 16. */
    private static final int REDRAWS = 3;

    private final List<Endpoint> list;
    private final Endpoint[] endpoints;
    /** {@code cumulative[i]} = sum of weights 0..i; {@code null} when all weights are equal. */
    private final int[] cumulative;
    private final Eligibility eligibility;

    RandomLoadBalancer(List<Endpoint> endpoints, int panicThresholdPercent) {
        this.list = List.copyOf(endpoints);
        this.endpoints = list.toArray(new Endpoint[0]);
        boolean differ = false;
        int[] sums = new int[this.endpoints.length];
        int sum = 0;
        for (int i = 0; i < sums.length; i++) {
            differ |= this.endpoints[i].weight() != this.endpoints[0].weight();
            sum += this.endpoints[i].weight();
            sums[i] = sum;
        }
        this.cumulative = differ ? sums : null;
        this.eligibility = new Eligibility(this.endpoints, panicThresholdPercent);
    }

    @Override
    public Endpoint pick(long hash, Endpoint avoid) {
        int n = endpoints.length;
        if (n == 0) {
            return null;
        }
        int i = draw();
        Endpoint e = endpoints[i];
        if (e != avoid && e.available()) {
            return e;
        }
        boolean panic = eligibility.panic();
        for (int k = 0; k < REDRAWS; k++) {
            if (Eligibility.eligible(e, avoid, panic)) {
                return e;
            }
            i = draw();
            e = endpoints[i];
        }
        return eligibility.fallback(i, avoid, panic);
    }

    private int draw() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (cumulative == null) {
            return random.nextInt(endpoints.length);
        }
        int r = random.nextInt(cumulative[cumulative.length - 1]);
        // The first index whose prefix sum exceeds r; binarySearch finds r + 1 or its insertion point.
        int at = Arrays.binarySearch(cumulative, r + 1);
        return at >= 0 ? at : -at - 1;
    }

    @Override
    public boolean panic() {
        return endpoints.length > 0 && eligibility.panic();
    }

    @Override
    public List<Endpoint> endpoints() {
        return list;
    }
}
