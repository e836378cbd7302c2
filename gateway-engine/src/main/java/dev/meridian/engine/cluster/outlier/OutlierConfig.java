package dev.meridian.engine.cluster.outlier;

/**
 * Validated settings of outlier detection for one cluster (Envoy's {@code outlier_detection}).
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>constant</th><th>value</th><th>why</th></tr>
 *   <tr><td>DEFAULT_CONSECUTIVE_5XX</td><td>5</td><td>Envoy's default</td></tr>
 *   <tr><td>DEFAULT_CONSECUTIVE_GATEWAY_FAILURE</td><td>5</td><td>Envoy's default; enforced by
 *       default here (Envoy enforces it at 0%) so that connect failures eject without any config,
 *       as nginx's {@code max_fails} does</td></tr>
 *   <tr><td>DEFAULT_INTERVAL_MS</td><td>1000</td><td>how often ejections are checked for expiry;
 *       Envoy's 10 s would add up to 10 s to every 30 s ejection, and a sweep is a scan of a few
 *       endpoints</td></tr>
 *   <tr><td>DEFAULT_BASE_EJECTION_TIME_MS</td><td>30000</td><td>Envoy's default; multiplied by the
 *       number of recent ejections</td></tr>
 *   <tr><td>DEFAULT_MAX_EJECTION_TIME_MS</td><td>300000</td><td>Envoy's cap on the multiplied time</td></tr>
 *   <tr><td>DEFAULT_MAX_EJECTION_PERCENT</td><td>10</td><td>Envoy's default; at least one endpoint
 *       may always be ejected</td></tr>
 * </table>
 *
 * @param enabled                   {@code false} turns detection off for the cluster
 * @param consecutive5xx            5xx responses in a row that eject; 0 disables this detector
 * @param consecutiveGatewayFailure gateway failures in a row that eject; 0 disables this detector
 */
public record OutlierConfig(boolean enabled, int consecutive5xx, int consecutiveGatewayFailure, long intervalMs,
                            long baseEjectionTimeMs, long maxEjectionTimeMs, int maxEjectionPercent) {

    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final int DEFAULT_CONSECUTIVE_GATEWAY_FAILURE = 5;
    public static final long DEFAULT_INTERVAL_MS = 1000;
    public static final long DEFAULT_BASE_EJECTION_TIME_MS = 30_000;
    public static final long DEFAULT_MAX_EJECTION_TIME_MS = 300_000;
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;

    /** Detection on, every setting at its default. */
    public static final OutlierConfig DEFAULTS = new OutlierConfig(true, DEFAULT_CONSECUTIVE_5XX,
            DEFAULT_CONSECUTIVE_GATEWAY_FAILURE, DEFAULT_INTERVAL_MS, DEFAULT_BASE_EJECTION_TIME_MS,
            DEFAULT_MAX_EJECTION_TIME_MS, DEFAULT_MAX_EJECTION_PERCENT);

    /** Detection off. */
    public static final OutlierConfig DISABLED = new OutlierConfig(false, 0, 0, DEFAULT_INTERVAL_MS,
            DEFAULT_BASE_EJECTION_TIME_MS, DEFAULT_MAX_EJECTION_TIME_MS, 0);

    public OutlierConfig {
        if (consecutive5xx < 0 || consecutiveGatewayFailure < 0 || intervalMs <= 0 || baseEjectionTimeMs <= 0
                || maxEjectionTimeMs <= 0 || maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("invalid outlier detection settings (the validator should have "
                    + "refused them): " + this);
        }
    }
}
