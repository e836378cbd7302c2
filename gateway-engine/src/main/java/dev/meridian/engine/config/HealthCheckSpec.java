package dev.meridian.engine.config;

import java.util.List;

/**
 * A cluster's active health check, the {@code [clusters.health_check]} table: absent means no
 * active checks. {@code type} is {@code tcp} (a connect succeeds) or {@code http} (a request
 * {@code method path} answered with a status in one of {@code expected_statuses}, each {@code 200}
 * or {@code 200-399}; {@code host} is the Host header, the endpoint's address when unset).
 * An endpoint turns unhealthy after {@code unhealthy_threshold} failures in a row and healthy
 * again after {@code healthy_threshold} successes; each check waits {@code interval_ms} plus a
 * random {@code 0..jitter_ms}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>type</td><td>tcp</td><td>works for any origin</td></tr>
 *   <tr><td>interval_ms</td><td>5000</td><td>nginx Plus and HAProxy check every few seconds</td></tr>
 *   <tr><td>timeout_ms</td><td>1000</td><td>a healthy origin answers a probe in far less</td></tr>
 *   <tr><td>jitter_ms</td><td>500</td><td>10% of the interval, so gateways do not probe in step</td></tr>
 *   <tr><td>healthy_threshold</td><td>1</td><td>one success brings an endpoint back</td></tr>
 *   <tr><td>unhealthy_threshold</td><td>3</td><td>one lost probe is not an outage</td></tr>
 *   <tr><td>method</td><td>GET</td><td></td></tr>
 *   <tr><td>path</td><td>/</td><td></td></tr>
 *   <tr><td>expected_statuses</td><td>["200-399"]</td><td>redirects count as alive</td></tr>
 * </table>
 */
public record HealthCheckSpec(
        String type,
        Long intervalMs,
        Long timeoutMs,
        Long jitterMs,
        Integer healthyThreshold,
        Integer unhealthyThreshold,
        String method,
        String path,
        String host,
        List<String> expectedStatuses) {

    public static final String TYPE_TCP = "tcp";
    public static final String TYPE_HTTP = "http";
    public static final long DEFAULT_INTERVAL_MS = 5000;
    public static final long DEFAULT_TIMEOUT_MS = 1000;
    public static final long DEFAULT_JITTER_MS = 500;
    public static final int DEFAULT_HEALTHY_THRESHOLD = 1;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
    public static final String DEFAULT_METHOD = "GET";
    public static final String DEFAULT_PATH = "/";
    public static final List<String> DEFAULT_EXPECTED_STATUSES = List.of("200-399");

    public HealthCheckSpec {
        type = type == null ? TYPE_TCP : type;
        intervalMs = intervalMs == null ? DEFAULT_INTERVAL_MS : intervalMs;
        timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        jitterMs = jitterMs == null ? DEFAULT_JITTER_MS : jitterMs;
        healthyThreshold = healthyThreshold == null ? DEFAULT_HEALTHY_THRESHOLD : healthyThreshold;
        unhealthyThreshold = unhealthyThreshold == null ? DEFAULT_UNHEALTHY_THRESHOLD : unhealthyThreshold;
        expectedStatuses = expectedStatuses == null ? null : List.copyOf(expectedStatuses);
    }

    /** A TCP check with every setting at its default. */
    public static HealthCheckSpec tcp() {
        return new HealthCheckSpec(null, null, null, null, null, null, null, null, null, null);
    }

    /** An HTTP {@code GET path} check with every other setting at its default. */
    public static HealthCheckSpec http(String path) {
        return new HealthCheckSpec(TYPE_HTTP, null, null, null, null, null, null, path, null, null);
    }

    /** The method to send, defaulted for HTTP checks. */
    public String effectiveMethod() {
        return method == null ? DEFAULT_METHOD : method;
    }

    /** The path to request, defaulted for HTTP checks. */
    public String effectivePath() {
        return path == null ? DEFAULT_PATH : path;
    }

    /** The accepted status ranges, defaulted for HTTP checks. */
    public List<String> effectiveExpectedStatuses() {
        return expectedStatuses == null ? DEFAULT_EXPECTED_STATUSES : expectedStatuses;
    }
}
