package dev.meridian.engine.config;

import java.util.List;

/**
 * A named group of upstream endpoints with its balancing policy and connection settings.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>lb_policy</td><td>round_robin</td><td>smooth weighted round-robin</td></tr>
 *   <tr><td>connect_timeout_ms</td><td>5000</td><td>the original design's example value</td></tr>
 *   <tr><td>max_connections_per_endpoint</td><td>1024</td><td>upper bound of pooled and active
 *       connections to one endpoint, shared out evenly over the event loops</td></tr>
 *   <tr><td>pool_idle_timeout_ms</td><td>4000</td><td>shorter than the 5 s keep-alive of Node.js and
 *       Apache httpd, so we close an idle connection before the origin does and never write a
 *       request into a connection the origin is closing</td></tr>
 *   <tr><td>panic_threshold_percent</td><td>50</td><td>Envoy's {@code healthy_panic_threshold}: below
 *       this share of available endpoints, balance over all of them; 0 disables panic</td></tr>
 *   <tr><td>hash_on</td><td>client_ip</td><td>what {@code maglev} hashes: {@code client_ip}, {@code path},
 *       {@code header:<name>} or {@code cookie:<name>}; a request without that header or cookie
 *       falls back to its client address</td></tr>
 *   <tr><td>circuit_breakers</td><td>Envoy's thresholds</td><td>{@link CircuitBreakersSpec}</td></tr>
 *   <tr><td>outlier_detection</td><td>on</td><td>{@link OutlierDetectionSpec}</td></tr>
 *   <tr><td>health_check</td><td>none</td><td>{@link HealthCheckSpec}; active checks only when asked</td></tr>
 * </table>
 */
public record ClusterSpec(
        String name,
        String lbPolicy,
        Long connectTimeoutMs,
        List<EndpointSpec> endpoints,
        Integer maxConnectionsPerEndpoint,
        Long poolIdleTimeoutMs,
        Integer panicThresholdPercent,
        CircuitBreakersSpec circuitBreakers,
        OutlierDetectionSpec outlierDetection,
        HealthCheckSpec healthCheck,
        String hashOn) {

    public static final String DEFAULT_LB_POLICY = LbPolicy.ROUND_ROBIN.key();
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT = 1024;
    public static final long DEFAULT_POOL_IDLE_TIMEOUT_MS = 4000;
    public static final int DEFAULT_PANIC_THRESHOLD_PERCENT = 50;
    /** The accepted {@code hash_on} forms; header and cookie names are RFC 9110 tokens. */
    public static final java.util.regex.Pattern HASH_ON =
            java.util.regex.Pattern.compile("client_ip|path|(header|cookie):[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public ClusterSpec {
        lbPolicy = lbPolicy == null ? DEFAULT_LB_POLICY : lbPolicy;
        connectTimeoutMs = connectTimeoutMs == null ? DEFAULT_CONNECT_TIMEOUT_MS : connectTimeoutMs;
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        maxConnectionsPerEndpoint = maxConnectionsPerEndpoint == null
                ? DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT : maxConnectionsPerEndpoint;
        poolIdleTimeoutMs = poolIdleTimeoutMs == null ? DEFAULT_POOL_IDLE_TIMEOUT_MS : poolIdleTimeoutMs;
        panicThresholdPercent = panicThresholdPercent == null ? DEFAULT_PANIC_THRESHOLD_PERCENT : panicThresholdPercent;
        circuitBreakers = circuitBreakers == null ? CircuitBreakersSpec.DEFAULTS : circuitBreakers;
        outlierDetection = outlierDetection == null ? OutlierDetectionSpec.DEFAULTS : outlierDetection;
    }

    /** A cluster with the resilience settings at their defaults (the record before they existed). */
    public ClusterSpec(String name, String lbPolicy, Long connectTimeoutMs, List<EndpointSpec> endpoints,
            Integer maxConnectionsPerEndpoint, Long poolIdleTimeoutMs) {
        this(name, lbPolicy, connectTimeoutMs, endpoints, maxConnectionsPerEndpoint, poolIdleTimeoutMs,
                null, null, null, null, null);
    }

    /** A cluster hashing on the client address (the record before {@code hash_on} existed). */
    public ClusterSpec(String name, String lbPolicy, Long connectTimeoutMs, List<EndpointSpec> endpoints,
            Integer maxConnectionsPerEndpoint, Long poolIdleTimeoutMs, Integer panicThresholdPercent,
            CircuitBreakersSpec circuitBreakers, OutlierDetectionSpec outlierDetection, HealthCheckSpec healthCheck) {
        this(name, lbPolicy, connectTimeoutMs, endpoints, maxConnectionsPerEndpoint, poolIdleTimeoutMs,
                panicThresholdPercent, circuitBreakers, outlierDetection, healthCheck, null);
    }

    /** A round-robin cluster with every other setting at its default. */
    public static ClusterSpec of(String name, List<EndpointSpec> endpoints) {
        return new ClusterSpec(name, null, null, endpoints, null, null);
    }
}
