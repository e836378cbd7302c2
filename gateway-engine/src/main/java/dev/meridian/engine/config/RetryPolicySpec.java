package dev.meridian.engine.config;

import java.util.List;

/**
 * A route's retry policy, the {@code [routes.retry_policy]} table (Envoy's {@code retry_policy}).
 * Without one a route still retries, once and on another endpoint, a connect failure or a reset
 * before any byte of the request was sent (nginx's {@code proxy_next_upstream error}).
 *
 * <p>{@code retry_on} names the conditions: {@code connect-failure}, {@code reset} (connection
 * closed or reset before the response head), {@code 5xx} (any 5xx response, a reset, a connect
 * failure or a per-try timeout), {@code gateway-error} (502, 503, 504, connect failure, per-try
 * timeout), {@code retriable-status-codes} (the statuses in {@code retriable_status_codes}).
 * Only idempotent methods (RFC 9110 §9.2.2) are retried once the request may have reached the
 * origin, unless {@code retry_non_idempotent} is true.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>retry_on</td><td>["connect-failure", "reset"]</td><td>the failures that say nothing about the request</td></tr>
 *   <tr><td>num_retries</td><td>1</td><td>Envoy's default</td></tr>
 *   <tr><td>per_try_timeout_ms</td><td>0 (none)</td><td>the route's timeout_ms bounds all tries</td></tr>
 *   <tr><td>backoff_base_ms</td><td>25</td><td>Envoy's default base interval</td></tr>
 *   <tr><td>backoff_max_ms</td><td>250</td><td>Envoy's default: ten times the base</td></tr>
 *   <tr><td>retriable_status_codes</td><td>[]</td><td></td></tr>
 *   <tr><td>retry_non_idempotent</td><td>false</td><td>a POST retried may be a POST applied twice</td></tr>
 * </table>
 */
public record RetryPolicySpec(
        List<String> retryOn,
        Integer numRetries,
        Long perTryTimeoutMs,
        Long backoffBaseMs,
        Long backoffMaxMs,
        List<Integer> retriableStatusCodes,
        Boolean retryNonIdempotent) {

    public static final List<String> DEFAULT_RETRY_ON = List.of("connect-failure", "reset");
    public static final int DEFAULT_NUM_RETRIES = 1;
    public static final long DEFAULT_PER_TRY_TIMEOUT_MS = 0;
    public static final long DEFAULT_BACKOFF_BASE_MS = 25;
    public static final long DEFAULT_BACKOFF_MAX_MS = 250;

    public RetryPolicySpec {
        retryOn = retryOn == null ? DEFAULT_RETRY_ON : List.copyOf(retryOn);
        numRetries = numRetries == null ? DEFAULT_NUM_RETRIES : numRetries;
        perTryTimeoutMs = perTryTimeoutMs == null ? DEFAULT_PER_TRY_TIMEOUT_MS : perTryTimeoutMs;
        backoffBaseMs = backoffBaseMs == null ? DEFAULT_BACKOFF_BASE_MS : backoffBaseMs;
        backoffMaxMs = backoffMaxMs == null ? DEFAULT_BACKOFF_MAX_MS : backoffMaxMs;
        retriableStatusCodes = retriableStatusCodes == null ? List.of() : List.copyOf(retriableStatusCodes);
        retryNonIdempotent = retryNonIdempotent == null ? Boolean.FALSE : retryNonIdempotent;
    }
}
