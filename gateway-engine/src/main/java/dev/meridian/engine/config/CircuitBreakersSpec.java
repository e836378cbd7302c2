package dev.meridian.engine.config;

/**
 * A cluster's circuit-breaker thresholds, the {@code [clusters.circuit_breakers]} table
 * (Envoy's {@code circuit_breakers.thresholds}). Setting {@code retry_budget_percent} replaces
 * the fixed {@code max_retries} with a budget: active retries may be that percentage of active
 * requests, and never fewer than {@code min_retry_concurrency}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>max_connections</td><td>1024</td><td>Envoy's default</td></tr>
 *   <tr><td>max_pending_requests</td><td>1024</td><td>Envoy's default</td></tr>
 *   <tr><td>max_requests</td><td>1024</td><td>Envoy's default</td></tr>
 *   <tr><td>max_retries</td><td>3</td><td>Envoy's default</td></tr>
 *   <tr><td>retry_budget_percent</td><td>none</td><td>no budget unless asked (Envoy's budget default is 20)</td></tr>
 *   <tr><td>min_retry_concurrency</td><td>3</td><td>Envoy's default; used only with a budget</td></tr>
 * </table>
 */
public record CircuitBreakersSpec(
        Integer maxConnections,
        Integer maxPendingRequests,
        Integer maxRequests,
        Integer maxRetries,
        Integer retryBudgetPercent,
        Integer minRetryConcurrency) {

    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 1024;
    public static final int DEFAULT_MAX_REQUESTS = 1024;
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

    /** Every threshold at its default, no retry budget. */
    public static final CircuitBreakersSpec DEFAULTS = new CircuitBreakersSpec(null, null, null, null, null, null);

    public CircuitBreakersSpec {
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        maxPendingRequests = maxPendingRequests == null ? DEFAULT_MAX_PENDING_REQUESTS : maxPendingRequests;
        maxRequests = maxRequests == null ? DEFAULT_MAX_REQUESTS : maxRequests;
        maxRetries = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
        minRetryConcurrency = minRetryConcurrency == null ? DEFAULT_MIN_RETRY_CONCURRENCY : minRetryConcurrency;
    }
}
