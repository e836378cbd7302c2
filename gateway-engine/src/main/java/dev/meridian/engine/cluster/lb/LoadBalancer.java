package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.internal.LoopLocal;
import dev.meridian.engine.config.LbPolicy;
import java.util.List;

/**
 * Picks the endpoint of a cluster that serves the next request.
 *
 * <p>A balancer is built once per cluster when a snapshot is compiled and is then used from every
 * event loop at once: {@link #pick(long, Endpoint)} is thread-safe, lock-free and allocates nothing
 * (beyond a loop's first pick, which gives it its own state in the balancers that keep some per
 * event loop, see {@link LoopLocal}).
 *
 * <p>Every policy returns only {@linkplain Endpoint#available() available} endpoints (healthy by
 * active checks and not ejected by outlier detection) — unless the cluster is in <em>panic</em>:
 * when fewer than the panic threshold's share of endpoints are available (default
 * {@value #DEFAULT_PANIC_THRESHOLD_PERCENT}%, Envoy's), it balances across all of them, because
 * health checks can be wrong and piling the whole load onto a few survivors would sink them too.
 * {@code pick} returns {@code null} for a cluster without endpoints, and with a threshold of 0
 * (panic disabled) when none is available.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>constant</th><th>value</th><th>why</th></tr>
 *   <tr><td>DEFAULT_PANIC_THRESHOLD_PERCENT</td><td>50</td><td>Envoy's {@code healthy_panic_threshold};
 *       one of two endpoints down is not yet panic, so its traffic goes to the other</td></tr>
 * </table>
 */
public interface LoadBalancer {

    /** Below this percentage of available endpoints a cluster balances over all of them. */
    int DEFAULT_PANIC_THRESHOLD_PERCENT = 50;

    /**
     * The endpoint for the next request. {@code hash} is the request's affinity key (e.g. a hash
     * of a header or the client address) for hashing policies and ignored by the others.
     */
    default Endpoint pick(long hash) {
        return pick(hash, null);
    }

    /**
     * As {@link #pick(long)}, for a retry: returns an endpoint other than {@code avoid} whenever
     * another one is eligible, and {@code avoid} itself only when it is the only one left.
     * {@code avoid} may be {@code null}, or an endpoint of an older snapshot.
     */
    Endpoint pick(long hash, Endpoint avoid);

    /**
     * As {@link #pick(long, Endpoint)}, on the calling event loop's {@code loop} slot
     * ({@link LoopLocal#currentSlot()}, found once per request by the caller): balancers that keep
     * state per event loop reach it with one array load instead of finding it from the thread.
     * {@code loop} must be the calling thread's slot, or {@link LoopLocal#NO_SLOT}.
     */
    default Endpoint pick(int loop, long hash, Endpoint avoid) {
        return pick(hash, avoid);
    }

    /** The endpoints this balancer chooses from, in cluster order. */
    List<Endpoint> endpoints();

    /** Whether the cluster is in panic now (too few endpoints available); for stats and the dashboard. */
    boolean panic();

    /** Smooth weighted round-robin, as nginx does it: weights 5:1:1 give {@code a a b a c a a}. */
    static LoadBalancer roundRobin(List<Endpoint> endpoints) {
        return new RoundRobinLoadBalancer(endpoints, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /** Least request by the power of two choices, weighted as Envoy does when weights differ. */
    static LoadBalancer leastRequest(List<Endpoint> endpoints) {
        return new LeastRequestLoadBalancer(endpoints, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /** Weighted random: each pick independent, endpoint {@code i} chosen with probability {@code w_i / sum(w)}. */
    static LoadBalancer random(List<Endpoint> endpoints) {
        return new RandomLoadBalancer(endpoints, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /** Maglev consistent hashing over a table of 65537 entries (prime; Envoy's default size). */
    static LoadBalancer maglev(List<Endpoint> endpoints) {
        return new MaglevLoadBalancer(endpoints, MaglevLoadBalancer.DEFAULT_TABLE_SIZE, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /** The balancer for {@code policy} with the default panic threshold. */
    static LoadBalancer of(LbPolicy policy, List<Endpoint> endpoints) {
        return of(policy, endpoints, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /**
     * The balancer for {@code policy}; below {@code panicThresholdPercent} percent of available
     * endpoints (0..100; 0 disables panic) it balances over all endpoints.
     */
    static LoadBalancer of(LbPolicy policy, List<Endpoint> endpoints, int panicThresholdPercent) {
        return switch (policy) {
            case ROUND_ROBIN -> new RoundRobinLoadBalancer(endpoints, panicThresholdPercent);
            case LEAST_REQUEST -> new LeastRequestLoadBalancer(endpoints, panicThresholdPercent);
            case RANDOM -> new RandomLoadBalancer(endpoints, panicThresholdPercent);
            case MAGLEV -> new MaglevLoadBalancer(endpoints, MaglevLoadBalancer.DEFAULT_TABLE_SIZE, panicThresholdPercent);
        };
    }
}
