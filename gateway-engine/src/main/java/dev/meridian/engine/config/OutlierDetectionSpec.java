package dev.meridian.engine.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A cluster's passive health checking, the {@code [clusters.outlier_detection]} table (Envoy's
 * {@code outlier_detection}). On by default, so that endpoints that refuse connections are taken
 * out of rotation without any config (nginx's {@code max_fails}). A threshold of 0 turns that
 * detector off.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>enabled</td><td>true</td><td>protect users without config</td></tr>
 *   <tr><td>consecutive_5xx</td><td>5</td><td>Envoy's default</td></tr>
 *   <tr><td>consecutive_gateway_failure</td><td>5</td><td>Envoy's default</td></tr>
 *   <tr><td>interval_ms</td><td>1000</td><td>how often ejections are checked for expiry</td></tr>
 *   <tr><td>base_ejection_time_ms</td><td>30000</td><td>Envoy's default, times the number of recent ejections</td></tr>
 *   <tr><td>max_ejection_time_ms</td><td>300000</td><td>Envoy's default cap</td></tr>
 *   <tr><td>max_ejection_percent</td><td>10</td><td>Envoy's default; one endpoint may always be ejected</td></tr>
 * </table>
 */
public record OutlierDetectionSpec(
        Boolean enabled,
        @JsonProperty("consecutive_5xx") Integer consecutive5xx,
        Integer consecutiveGatewayFailure,
        Long intervalMs,
        Long baseEjectionTimeMs,
        Long maxEjectionTimeMs,
        Integer maxEjectionPercent) {

    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final int DEFAULT_CONSECUTIVE_GATEWAY_FAILURE = 5;
    public static final long DEFAULT_INTERVAL_MS = 1000;
    public static final long DEFAULT_BASE_EJECTION_TIME_MS = 30_000;
    public static final long DEFAULT_MAX_EJECTION_TIME_MS = 300_000;
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;

    /** Detection on with every setting at its default. */
    public static final OutlierDetectionSpec DEFAULTS = new OutlierDetectionSpec(null, null, null, null, null, null, null);

    public OutlierDetectionSpec {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        consecutive5xx = consecutive5xx == null ? DEFAULT_CONSECUTIVE_5XX : consecutive5xx;
        consecutiveGatewayFailure = consecutiveGatewayFailure == null
                ? DEFAULT_CONSECUTIVE_GATEWAY_FAILURE : consecutiveGatewayFailure;
        intervalMs = intervalMs == null ? DEFAULT_INTERVAL_MS : intervalMs;
        baseEjectionTimeMs = baseEjectionTimeMs == null ? DEFAULT_BASE_EJECTION_TIME_MS : baseEjectionTimeMs;
        maxEjectionTimeMs = maxEjectionTimeMs == null ? DEFAULT_MAX_EJECTION_TIME_MS : maxEjectionTimeMs;
        maxEjectionPercent = maxEjectionPercent == null ? DEFAULT_MAX_EJECTION_PERCENT : maxEjectionPercent;
    }
}
