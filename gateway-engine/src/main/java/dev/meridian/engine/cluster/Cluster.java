package dev.meridian.engine.cluster;

import dev.meridian.engine.cluster.breaker.BreakerLimits;
import dev.meridian.engine.cluster.breaker.CircuitBreaker;
import dev.meridian.engine.cluster.breaker.RetryBudget;
import dev.meridian.engine.cluster.health.HealthCheckConfig;
import dev.meridian.engine.cluster.lb.LoadBalancer;
import dev.meridian.engine.cluster.outlier.OutlierConfig;
import dev.meridian.engine.cluster.outlier.OutlierDetector;
import dev.meridian.engine.config.CircuitBreakersSpec;
import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.OutlierDetectionSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A compiled cluster: its endpoints, the balancer that picks among them, its circuit breaker,
 * outlier detector and active health check, and the connection settings its upstream pools apply.
 * One instance per cluster per runtime snapshot; the breaker and the outlier detector are shared
 * with the same-named cluster of the previous and next snapshots (see {@code SnapshotCompiler}).
 */
public final class Cluster {

    private final String name;
    private final List<Endpoint> endpoints;
    private final LoadBalancer loadBalancer;
    private final int connectTimeoutMs;
    private final int maxConnectionsPerEndpoint;
    private final long poolIdleTimeoutNanos;
    private final byte[][] hostHeaders;
    private final CircuitBreaker breaker;
    private final OutlierDetector outlierDetector;
    private final HealthCheckConfig healthCheck;
    private final HashKey hashKey;

    /** A cluster with a new breaker and outlier detector (no previous snapshot to share them with). */
    public Cluster(ClusterSpec spec, List<Endpoint> endpoints, LoadBalancer loadBalancer) {
        this(spec, endpoints, loadBalancer, CircuitBreaker.create(breakerLimits(spec.circuitBreakers())),
                OutlierDetector.create(outlierConfig(spec.outlierDetection()), endpoints, Ticker.system()));
    }

    /**
     * A cluster using {@code breaker} and {@code outlierDetector}, already configured from
     * {@code spec} (the compiler reconfigures the previous snapshot's ones).
     */
    public Cluster(ClusterSpec spec, List<Endpoint> endpoints, LoadBalancer loadBalancer, CircuitBreaker breaker,
                   OutlierDetector outlierDetector) {
        this.breaker = breaker;
        this.outlierDetector = outlierDetector;
        this.healthCheck = HealthCheckConfig.of(spec.healthCheck());
        this.hashKey = HashKey.parse(spec.hashOn());
        this.name = spec.name();
        this.endpoints = List.copyOf(endpoints);
        this.loadBalancer = loadBalancer;
        this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, spec.connectTimeoutMs());
        this.maxConnectionsPerEndpoint = spec.maxConnectionsPerEndpoint();
        this.poolIdleTimeoutNanos = spec.poolIdleTimeoutMs() * 1_000_000L;
        int max = 0;
        for (Endpoint e : endpoints) {
            max = Math.max(max, e.index() + 1);
        }
        this.hostHeaders = new byte[max][];
        for (Endpoint e : endpoints) {
            hostHeaders[e.index()] = e.address().getBytes(StandardCharsets.US_ASCII);
        }
    }

    public String name() {
        return name;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public LoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** The circuit breaker; a request holds its units as bits of an {@code int} (see {@link CircuitBreaker}). */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Passive health: report every attempt's outcome here. */
    public OutlierDetector outlierDetector() {
        return outlierDetector;
    }

    /** The active health check, or {@code null} when the cluster has none. */
    public HealthCheckConfig healthCheck() {
        return healthCheck;
    }

    /** The compiled breaker thresholds of a validated spec. */
    public static BreakerLimits breakerLimits(CircuitBreakersSpec spec) {
        RetryBudget budget = spec.retryBudgetPercent() == null ? null
                : new RetryBudget(spec.retryBudgetPercent(), spec.minRetryConcurrency());
        return new BreakerLimits(spec.maxConnections(), spec.maxPendingRequests(), spec.maxRequests(),
                spec.maxRetries(), budget);
    }

    /** The compiled outlier settings of a validated spec. */
    public static OutlierConfig outlierConfig(OutlierDetectionSpec spec) {
        return new OutlierConfig(spec.enabled(), spec.consecutive5xx(), spec.consecutiveGatewayFailure(),
                spec.intervalMs(), spec.baseEjectionTimeMs(), spec.maxEjectionTimeMs(), spec.maxEjectionPercent());
    }

    public int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** The most connections to one endpoint that all event loops together may hold open. */
    public int maxConnectionsPerEndpoint() {
        return maxConnectionsPerEndpoint;
    }

    public long poolIdleTimeoutNanos() {
        return poolIdleTimeoutNanos;
    }

    /**
     * The {@code Host} value to send to {@code endpoint} when the client sent none (HTTP/1.0):
     * its configured {@code host:port}, as RFC 9112 §3.2 asks of a client that has no other.
     */
    public byte[] hostHeader(Endpoint endpoint) {
        return hostHeaders[endpoint.index()];
    }

    /** What a hashing balancer keys this cluster's requests on. */
    public HashKey hashKey() {
        return hashKey;
    }
}
