package dev.meridian.engine.config;

import static dev.meridian.engine.config.SnapshotValidator.MAX_CONNECT_TIMEOUT_MS;
import static dev.meridian.engine.config.SnapshotValidator.MAX_HEALTH_CHECK_MS;
import static dev.meridian.engine.config.SnapshotValidator.MAX_WEIGHT;
import static dev.meridian.engine.config.SnapshotValidator.address;
import static dev.meridian.engine.config.SnapshotValidator.pathProblem;
import static dev.meridian.engine.config.SnapshotValidator.positive;
import static dev.meridian.engine.config.SnapshotValidator.range;
import static dev.meridian.engine.config.SnapshotValidator.show;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link SnapshotValidator}'s checks of the {@code clusters} section: names, balancing policy,
 * endpoints, pool and breaker limits, outlier detection and health checks, with the same field
 * paths and message form ({@code clusters[1].endpoints[0].weight: 0 (expected: 1..1000)}).
 */
final class ClusterSpecValidator {

    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    /** An HTTP method token as RFC 9110 §9.1 allows, restricted to upper-case letters as every real method is. */
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
    private static final Pattern STATUS_RANGE = Pattern.compile("([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?");

    private ClusterSpecValidator() {
    }

    /** Checks every cluster, adding each problem to {@code errors}; returns the valid, distinct names. */
    static Set<String> validate(List<ClusterSpec> clusters, List<ConfigError> errors) {
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < clusters.size(); i++) {
            String at = "clusters[" + i + "]";
            ClusterSpec c = clusters.get(i);
            if (c.name() == null || !CLUSTER_NAME.matcher(c.name()).matches()) {
                errors.add(new ConfigError(at + ".name", show(c.name()),
                        "a non-empty name of letters, digits, '_', '.' and '-'"));
            } else {
                Integer first = names.putIfAbsent(c.name(), i);
                if (first != null) {
                    errors.add(new ConfigError(at + ".name", show(c.name()),
                            "a name not already used by clusters[" + first + "]"));
                }
            }
            if (LbPolicy.fromKey(c.lbPolicy()) == null) {
                errors.add(new ConfigError(at + ".lb_policy", show(c.lbPolicy()), "one of " + policyKeys()));
            }
            range(at + ".connect_timeout_ms", c.connectTimeoutMs(), 1, MAX_CONNECT_TIMEOUT_MS, errors);
            validateEndpoints(at, c.endpoints(), errors);
            range(at + ".max_connections_per_endpoint", c.maxConnectionsPerEndpoint(), 1, Integer.MAX_VALUE, errors);
            positive(at + ".pool_idle_timeout_ms", c.poolIdleTimeoutMs(), errors);
            range(at + ".panic_threshold_percent", c.panicThresholdPercent(), 0, 100, errors);
            if (c.hashOn() != null && !ClusterSpec.HASH_ON.matcher(c.hashOn()).matches()) {
                errors.add(new ConfigError(at + ".hash_on", show(c.hashOn()),
                        "client_ip, path, header:<name> or cookie:<name>"));
            }
            validateCircuitBreakers(at + ".circuit_breakers", c.circuitBreakers(), errors);
            validateOutlierDetection(at + ".outlier_detection", c.outlierDetection(), errors);
            if (c.healthCheck() != null) {
                validateHealthCheck(at + ".health_check", c.healthCheck(), errors);
            }
        }
        return names.keySet();
    }

    private static void validateCircuitBreakers(String at, CircuitBreakersSpec b, List<ConfigError> errors) {
        range(at + ".max_connections", b.maxConnections(), 1, Integer.MAX_VALUE, errors);
        range(at + ".max_pending_requests", b.maxPendingRequests(), 0, Integer.MAX_VALUE, errors);
        range(at + ".max_requests", b.maxRequests(), 1, Integer.MAX_VALUE, errors);
        range(at + ".max_retries", b.maxRetries(), 0, Integer.MAX_VALUE, errors);
        if (b.retryBudgetPercent() != null) {
            range(at + ".retry_budget_percent", b.retryBudgetPercent(), 0, 100, errors);
        }
        range(at + ".min_retry_concurrency", b.minRetryConcurrency(), 0, Integer.MAX_VALUE, errors);
    }

    private static void validateOutlierDetection(String at, OutlierDetectionSpec o, List<ConfigError> errors) {
        range(at + ".consecutive_5xx", o.consecutive5xx(), 0, Integer.MAX_VALUE, errors);
        range(at + ".consecutive_gateway_failure", o.consecutiveGatewayFailure(), 0, Integer.MAX_VALUE, errors);
        positive(at + ".interval_ms", o.intervalMs(), errors);
        positive(at + ".base_ejection_time_ms", o.baseEjectionTimeMs(), errors);
        if (o.maxEjectionTimeMs() == null || o.maxEjectionTimeMs() <= 0
                || (o.baseEjectionTimeMs() != null && o.maxEjectionTimeMs() < o.baseEjectionTimeMs())) {
            errors.add(new ConfigError(at + ".max_ejection_time_ms", show(o.maxEjectionTimeMs()),
                    ">= base_ejection_time_ms (" + o.baseEjectionTimeMs() + ")"));
        }
        range(at + ".max_ejection_percent", o.maxEjectionPercent(), 0, 100, errors);
    }

    private static void validateHealthCheck(String at, HealthCheckSpec h, List<ConfigError> errors) {
        boolean http = HealthCheckSpec.TYPE_HTTP.equals(h.type());
        if (!http && !HealthCheckSpec.TYPE_TCP.equals(h.type())) {
            errors.add(new ConfigError(at + ".type", show(h.type()), "one of tcp, http"));
        }
        positive(at + ".interval_ms", h.intervalMs(), errors);
        positive(at + ".timeout_ms", h.timeoutMs(), errors);
        range(at + ".jitter_ms", h.jitterMs(), 0, MAX_HEALTH_CHECK_MS, errors);
        range(at + ".healthy_threshold", h.healthyThreshold(), 1, Integer.MAX_VALUE, errors);
        range(at + ".unhealthy_threshold", h.unhealthyThreshold(), 1, Integer.MAX_VALUE, errors);
        if (!http) {
            // A TCP check sends nothing: HTTP settings there are a mistake, not something to ignore.
            httpOnly(at + ".method", h.method(), errors);
            httpOnly(at + ".path", h.path(), errors);
            httpOnly(at + ".host", h.host(), errors);
            httpOnly(at + ".expected_statuses", h.expectedStatuses(), errors);
            return;
        }
        if (h.method() != null && !METHOD.matcher(h.method()).matches()) {
            errors.add(new ConfigError(at + ".method", show(h.method()), "an upper-case HTTP method such as GET or HEAD"));
        }
        if (h.path() != null) {
            String problem = pathProblem(h.path());
            if (problem != null) {
                errors.add(new ConfigError(at + ".path", show(h.path()), problem));
            }
        }
        if (h.host() != null) {
            // Sent as a header value: a CR or LF here would let config inject headers into probes.
            boolean ok = !h.host().isEmpty();
            for (int i = 0; i < h.host().length() && ok; i++) {
                char c = h.host().charAt(i);
                ok = c > ' ' && c < 0x7f;
            }
            if (!ok) {
                errors.add(new ConfigError(at + ".host", show(h.host()), "a host[:port] of visible ASCII"));
            }
        }
        List<String> statuses = h.effectiveExpectedStatuses();
        if (statuses.isEmpty()) {
            errors.add(new ConfigError(at + ".expected_statuses", "[]", "at least one status or range"));
        }
        for (int i = 0; i < statuses.size(); i++) {
            String st = statuses.get(i);
            var m = STATUS_RANGE.matcher(st);
            if (!m.matches() || (m.group(2) != null && Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(1)))) {
                errors.add(new ConfigError(at + ".expected_statuses[" + i + "]", show(st),
                        "a status 100..599 or a range such as 200-399"));
            }
        }
    }

    private static void httpOnly(String field, Object value, List<ConfigError> errors) {
        if (value != null) {
            errors.add(new ConfigError(field, show(value), "no value unless type = \"http\""));
        }
    }

    private static void validateEndpoints(String cluster, List<EndpointSpec> endpoints, List<ConfigError> errors) {
        if (endpoints.isEmpty()) {
            errors.add(new ConfigError(cluster + ".endpoints", "[]", "at least one endpoint"));
            return;
        }
        Map<HostPort, Integer> seen = new HashMap<>();
        for (int e = 0; e < endpoints.size(); e++) {
            String at = cluster + ".endpoints[" + e + "]";
            EndpointSpec ep = endpoints.get(e);
            HostPort address = address(at + ".address", ep.address(), 1, errors);
            if (address != null) {
                Integer first = seen.putIfAbsent(address, e);
                if (first != null) {
                    errors.add(new ConfigError(at + ".address", show(ep.address()),
                            "an address not already used by endpoints[" + first + "] of this cluster"));
                }
            }
            range(at + ".weight", ep.weight(), 1, MAX_WEIGHT, errors);
        }
    }

    private static String policyKeys() {
        StringBuilder sb = new StringBuilder();
        for (LbPolicy p : LbPolicy.values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(p.key());
        }
        return sb.toString();
    }
}
