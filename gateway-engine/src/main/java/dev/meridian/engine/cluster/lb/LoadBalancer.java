package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.config.LbPolicy;
import java.util.List;

/**
 * Picks the endpoint of a cluster that serves the next request.
 *
 * <p>A balancer is built once per cluster when a snapshot is compiled and is then used from every
 * event loop at once: {@link #pick(long)} is thread-safe, lock-free and allocates nothing.
 *
 * <p>Every policy prefers {@linkplain Endpoint#available() available} endpoints. When none is
 * available it still returns the endpoint it would have picked ("panic mode", as Envoy calls it):
 * health checks can be wrong, and sending traffic to endpoints believed down is better than
 * failing every request. {@code pick} returns {@code null} only for a cluster without endpoints.
 */
public interface LoadBalancer {

    /**
     * The endpoint for the next request. {@code hash} is the request's affinity key (e.g. a hash
     * of a header or the client address) for hashing policies and ignored by the others.
     */
    Endpoint pick(long hash);

    /** The endpoints this balancer chooses from, in cluster order. */
    List<Endpoint> endpoints();

    /** Smooth weighted round-robin, as nginx does it: weights 5:1:1 give {@code a a b a c a a}. */
    static LoadBalancer roundRobin(List<Endpoint> endpoints) {
        return new RoundRobinLoadBalancer(endpoints);
    }

    /** Least request by the power of two choices, weighted as Envoy does when weights differ. */
    static LoadBalancer leastRequest(List<Endpoint> endpoints) {
        return new LeastRequestLoadBalancer(endpoints);
    }

    /** Maglev consistent hashing over a table of 65537 entries (prime; Envoy's default size). */
    static LoadBalancer maglev(List<Endpoint> endpoints) {
        return new MaglevLoadBalancer(endpoints, MaglevLoadBalancer.DEFAULT_TABLE_SIZE);
    }

    /** The balancer for {@code policy}. */
    static LoadBalancer of(LbPolicy policy, List<Endpoint> endpoints) {
        return switch (policy) {
            case ROUND_ROBIN -> roundRobin(endpoints);
            case LEAST_REQUEST -> leastRequest(endpoints);
            case MAGLEV -> maglev(endpoints);
        };
    }
}
