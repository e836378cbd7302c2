package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.config.EndpointSpec;
import java.util.ArrayList;
import java.util.List;

/** Test helpers that build endpoint lists. */
final class Endpoints {

    private Endpoints() {
    }

    /** Endpoints 10.0.0.{1..n}:80 with the given weights (all 1 when none are given). */
    static List<Endpoint> weighted(int... weights) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(Endpoint.of(i, new EndpointSpec("10.0.0." + (i + 1) + ":80", weights[i])));
        }
        return list;
    }

    static List<Endpoint> unweighted(int n) {
        int[] w = new int[n];
        java.util.Arrays.fill(w, 1);
        return weighted(w);
    }

    static int[] countPicks(LoadBalancer lb, int picks) {
        int[] counts = new int[lb.endpoints().size()];
        for (int i = 0; i < picks; i++) {
            counts[lb.pick(i).index()]++;
        }
        return counts;
    }
}
