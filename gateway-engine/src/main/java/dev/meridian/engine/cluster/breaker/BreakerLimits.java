package dev.meridian.engine.cluster.breaker;

import java.util.Objects;

/**
 * The thresholds of one cluster's circuit breaker (Envoy's {@code circuit_breakers.thresholds}).
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>constant</th><th>value</th><th>why</th></tr>
 *   <tr><td>DEFAULT_MAX_CONNECTIONS</td><td>1024</td><td>Envoy's default</td></tr>
 *   <tr><td>DEFAULT_MAX_PENDING_REQUESTS</td><td>1024</td><td>Envoy's default</td></tr>
 *   <tr><td>DEFAULT_MAX_REQUESTS</td><td>1024</td><td>Envoy's default</td></tr>
 *   <tr><td>DEFAULT_MAX_RETRIES</td><td>3</td><td>Envoy's default; replaced by a {@link RetryBudget}
 *       when one is configured</td></tr>
 * </table>
 *
 * @param retryBudget {@code null} for the fixed {@code maxRetries} threshold
 */
public record BreakerLimits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
                            RetryBudget retryBudget) {

    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 1024;
    public static final int DEFAULT_MAX_REQUESTS = 1024;
    public static final int DEFAULT_MAX_RETRIES = 3;

    /** Envoy's defaults, without a retry budget. */
    public static final BreakerLimits DEFAULTS = new BreakerLimits(DEFAULT_MAX_CONNECTIONS,
            DEFAULT_MAX_PENDING_REQUESTS, DEFAULT_MAX_REQUESTS, DEFAULT_MAX_RETRIES, null);

    public BreakerLimits {
        nonNegative("max_connections", maxConnections);
        nonNegative("max_pending_requests", maxPendingRequests);
        nonNegative("max_requests", maxRequests);
        nonNegative("max_retries", maxRetries);
    }

    /** The static threshold of {@code resource} ({@code max_retries} even when a budget applies). */
    public int max(BreakerResource resource) {
        Objects.requireNonNull(resource, "resource");
        return switch (resource) {
            case CONNECTIONS -> maxConnections;
            case PENDING_REQUESTS -> maxPendingRequests;
            case REQUESTS -> maxRequests;
            case RETRIES -> maxRetries;
        };
    }

    private static void nonNegative(String key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: >= 0)");
        }
    }
}
