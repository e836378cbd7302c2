package dev.meridian.engine.runtime;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.EndpointState;
import dev.meridian.engine.cluster.Ticker;
import dev.meridian.engine.cluster.breaker.BreakerLimits;
import dev.meridian.engine.cluster.breaker.CircuitBreaker;
import dev.meridian.engine.cluster.lb.LoadBalancer;
import dev.meridian.engine.cluster.outlier.OutlierConfig;
import dev.meridian.engine.cluster.outlier.OutlierDetector;
import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.ConfigError;
import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.HostPort;
import dev.meridian.engine.config.LbPolicy;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.config.SnapshotValidator;
import dev.meridian.engine.filter.FilterChain;
import dev.meridian.engine.filter.FilterFactory;
import dev.meridian.engine.limit.RequestRateLimiter;
import dev.meridian.engine.route.Route;
import dev.meridian.engine.route.RouteTable;
import dev.meridian.engine.upstream.retry.RetryPolicy;
import dev.meridian.engine.upstream.retry.UpstreamTimeouts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a {@link GatewaySnapshot} completely ({@link #check}) and compiles a valid one into a
 * {@link RuntimeSnapshot}, off the event loops.
 *
 * <p>Validation is {@link SnapshotValidator}'s with each filter list checked by its filters'
 * factories: config knows no filters, and this package knows both. The engine checks before it
 * compiles, so a bad filter entry is refused with its field path before anything of the snapshot
 * is built, reconfigured or swapped in.
 *
 * <p>Endpoint host names are resolved here, once, because nothing on an event loop may block on
 * DNS. An endpoint whose cluster, address and weight are unchanged keeps its {@link Endpoint}
 * object, so its connection pools and request counts carry over a reload.
 *
 * <p>Resilience state carries over more widely: an endpoint that keeps its cluster and address
 * keeps its {@link EndpointState} (health verdict, ejection, failure runs) even when its weight or
 * position changes, and a cluster that keeps its name keeps its circuit breaker and outlier
 * detector, reconfigured with the new settings. Requests of the old snapshot still in flight thus
 * release into the same breaker counters and report into the same endpoint state.
 */
public final class SnapshotCompiler {

    private SnapshotCompiler() {
    }

    /**
     * Every problem in {@code spec}, in field order, filter entries included (e.g.
     * {@code listeners[0].filter_chain[1].name: ...}); empty when it is valid.
     */
    public static List<ConfigError> validate(GatewaySnapshot spec) {
        return SnapshotValidator.validate(spec, FilterFactory::validateChain);
    }

    /** {@link #validate}, throwing {@link ConfigValidationException} with every problem. */
    public static void check(GatewaySnapshot spec) {
        SnapshotValidator.check(spec, FilterFactory::validateChain);
    }

    /**
     * Compiles {@code spec}, which {@link #check} accepted; {@code previous} (may be null) donates
     * endpoints that did not change.
     *
     * @throws ConfigValidationException when an endpoint host does not resolve
     */
    public static RuntimeSnapshot compile(GatewaySnapshot spec, RuntimeSnapshot previous, long version) {
        Map<String, Endpoint> carried = new HashMap<>();
        Map<String, EndpointState> states = new HashMap<>();
        if (previous != null) {
            for (Cluster c : previous.clusters().values()) {
                for (Endpoint e : c.endpoints()) {
                    carried.put(endpointKey(c.name(), e.address(), e.weight(), e.index()), e);
                    states.put(c.name() + '\n' + e.address(), e.state());
                }
            }
        }
        List<ConfigError> errors = new ArrayList<>();
        List<Runnable> reconfigure = new ArrayList<>();
        Map<String, Cluster> clusters = new LinkedHashMap<>();
        for (int ci = 0; ci < spec.clusters().size(); ci++) {
            ClusterSpec cs = spec.clusters().get(ci);
            List<Endpoint> endpoints = new ArrayList<>();
            for (int ei = 0; ei < cs.endpoints().size(); ei++) {
                EndpointSpec es = cs.endpoints().get(ei);
                Endpoint old = carried.get(endpointKey(cs.name(), es.address(), es.weight(), ei));
                if (old != null) {
                    endpoints.add(old);
                    continue;
                }
                InetSocketAddress resolved = resolve(es.address());
                if (resolved == null) {
                    errors.add(new ConfigError("clusters[" + ci + "].endpoints[" + ei + "].address",
                            es.address(), "a host that resolves"));
                    continue;
                }
                EndpointState state = states.get(cs.name() + '\n' + es.address());
                endpoints.add(new Endpoint(ei, es.address(), resolved, es.weight(),
                        state != null ? state : new EndpointState()));
            }
            LbPolicy policy = LbPolicy.fromKey(cs.lbPolicy());
            Cluster old = previous == null ? null : previous.clusters().get(cs.name());
            BreakerLimits limits = Cluster.breakerLimits(cs.circuitBreakers());
            OutlierConfig outlier = Cluster.outlierConfig(cs.outlierDetection());
            CircuitBreaker breaker;
            OutlierDetector detector;
            if (old != null) {
                breaker = old.breaker();
                detector = old.outlierDetector();
                // Applied only once the whole snapshot compiled: a failed reload changes nothing.
                reconfigure.add(() -> {
                    breaker.reconfigure(limits);
                    detector.reconfigure(outlier, endpoints);
                });
            } else {
                breaker = CircuitBreaker.create(limits);
                detector = OutlierDetector.create(outlier, endpoints, Ticker.system());
            }
            clusters.put(cs.name(), new Cluster(cs, endpoints,
                    LoadBalancer.of(policy, endpoints, cs.panicThresholdPercent()), breaker, detector));
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        reconfigure.forEach(Runnable::run);
        Map<String, ClusterSpec> clusterSpecs = new HashMap<>();
        for (ClusterSpec cs : spec.clusters()) {
            clusterSpecs.put(cs.name(), cs);
        }
        List<RouteSpec> routes = spec.routes();
        Map<RouteSpec, String> names = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteSpec r = routes.get(i);
            names.put(r, r.name() != null ? r.name() : "route-" + i);
        }
        // A route keeps its clients' buckets across reloads while it is the same route (name,
        // host and path; unnamed routes are named by position) with the same limit.
        Map<String, RequestRateLimiter> limiters = new HashMap<>();
        if (previous != null) {
            // The table's targets are in the spec's route order (RouteTable.targets).
            List<Route> before = previous.routes().targets();
            List<RouteSpec> specs = previous.spec().routes();
            for (int i = 0; i < before.size() && i < specs.size(); i++) {
                if (before.get(i).rateLimiter() != null) {
                    limiters.put(routeKey(specs.get(i), before.get(i).name()), before.get(i).rateLimiter());
                }
            }
        }
        RouteTable<Route> table = RouteTable.compile(routes,
                r -> new Route(names.get(r), clusters.get(r.cluster()), r.timeoutMs(),
                        r.rateLimit() == null ? null : RequestRateLimiter.keepOrCreate(
                                limiters.get(routeKey(r, names.get(r))),
                                r.rateLimit().requestsPerSecond(), r.rateLimit().burst()),
                        r.maxBodyBytes() == null ? Route.UNLIMITED : r.maxBodyBytes(),
                        RetryPolicy.of(r.retryPolicy()),
                        UpstreamTimeouts.of(r, clusterSpecs.get(r.cluster())),
                        FilterChain.compile(r.filters())));
        Map<String, FilterChain> listenerFilters = new HashMap<>();
        for (ListenerSpec l : spec.listeners()) {
            listenerFilters.put(l.name(), FilterChain.compile(l.filterChain()));
        }
        return new RuntimeSnapshot(spec, table, Map.copyOf(clusters), version, Map.copyOf(listenerFilters));
    }

    private static String routeKey(RouteSpec r, String name) {
        return name + '\n' + r.host() + '\n' + r.prefix() + '\n' + r.path();
    }

    private static String endpointKey(String cluster, String address, int weight, int index) {
        return cluster + '\n' + address + '\n' + weight + '\n' + index;
    }

    private static InetSocketAddress resolve(String address) {
        try {
            HostPort hp = HostPort.parse(address);
            return new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
