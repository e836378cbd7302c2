package dev.meridian.engine.cluster.breaker;

/**
 * Envoy's retry budget: active retries may be at most {@code budgetPercent} of the active
 * requests, but never fewer than {@code minRetryConcurrency}, so retries cannot multiply an
 * outage however many requests fail. When a cluster has a budget it replaces the fixed
 * {@code max_retries} threshold.
 *
 * <p>It lives with the breaker rather than with the retry policy because it is a limit on the
 * breaker's {@link BreakerResource#RETRIES} counter computed from its {@link BreakerResource#REQUESTS}
 * counter, as in Envoy ({@code circuit_breakers.thresholds.retry_budget}).
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>constant</th><th>value</th><th>why</th></tr>
 *   <tr><td>DEFAULT_BUDGET_PERCENT</td><td>20</td><td>Envoy's default</td></tr>
 *   <tr><td>DEFAULT_MIN_RETRY_CONCURRENCY</td><td>3</td><td>Envoy's default: a quiet cluster may
 *       still retry a few requests</td></tr>
 * </table>
 *
 * @param budgetPercent       0..100
 * @param minRetryConcurrency at least 0
 */
public record RetryBudget(int budgetPercent, int minRetryConcurrency) {

    public static final int DEFAULT_BUDGET_PERCENT = 20;
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

    public RetryBudget {
        if (budgetPercent < 0 || budgetPercent > 100) {
            throw new IllegalArgumentException("budget_percent: " + budgetPercent + " (expected: >= 0 and <= 100)");
        }
        if (minRetryConcurrency < 0) {
            throw new IllegalArgumentException("min_retry_concurrency: " + minRetryConcurrency + " (expected: >= 0)");
        }
    }

    /** How many retries may be active while {@code activeRequests} requests are. */
    public int maxActiveRetries(int activeRequests) {
        return (int) Math.max(minRetryConcurrency, (long) activeRequests * budgetPercent / 100);
    }
}
