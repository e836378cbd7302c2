package dev.meridian.engine.config;

import java.util.List;

/**
 * A route: which requests it matches (optional host, and exactly one of an exact {@code path} or a
 * path {@code prefix}) and the cluster that serves them.
 *
 * <p>Among the routes whose host matches, an exact path beats any prefix and the longest prefix
 * wins; routes naming a host beat host-less ones. {@code timeout_ms} bounds the wait from the
 * request head to the response head (default 15000, Envoy's route timeout; 0 means none), answered
 * 504 when it runs out; a response that has started streams on for as long as bytes keep moving
 * (the listener's {@code idle_timeout_ms} ends a stalled one), so large downloads need no tuning.
 *
 * <p>{@code retry_policy} ({@link RetryPolicySpec}; absent: retry a connect failure or an unsent
 * request once), {@code connect_timeout_ms} (absent: the cluster's) and {@code idle_timeout_ms}
 * (absent: the listener's) override their defaults for this route.
 *
 * <table>
 *   <caption>Limits (both off by default)</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>rate_limit</td><td>none</td><td>{@code { requests_per_second, burst }}: a token bucket per
 *       client address for this route, in addition to the listener's; 429 with {@code Retry-After}</td></tr>
 *   <tr><td>max_body_bytes</td><td>none</td><td>413 and close beyond it. Bodies stream and are never
 *       buffered, so an unlimited body costs the gateway no memory; a default cap (nginx's 1 MiB
 *       {@code client_max_body_size}) would break uploads that must pass untuned</td></tr>
 * </table>
 *
 * <p>{@code filters} ({@link FilterSpec}s, default none) run on this route's requests after the
 * listener's {@code filter_chain} and the route match; their response hooks run before the listener's.
 */
public record RouteSpec(String name, String host, String prefix, String path, String cluster, Long timeoutMs,
                        ListenerSpec.RateLimit rateLimit, Long maxBodyBytes,
                        RetryPolicySpec retryPolicy, Long connectTimeoutMs, Long idleTimeoutMs,
                        List<FilterSpec> filters) {

    public static final long DEFAULT_TIMEOUT_MS = 15_000;

    public RouteSpec {
        timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    /** A route without filters. */
    public RouteSpec(String name, String host, String prefix, String path, String cluster, Long timeoutMs,
                     ListenerSpec.RateLimit rateLimit, Long maxBodyBytes,
                     RetryPolicySpec retryPolicy, Long connectTimeoutMs, Long idleTimeoutMs) {
        this(name, host, prefix, path, cluster, timeoutMs, rateLimit, maxBodyBytes, retryPolicy, connectTimeoutMs,
                idleTimeoutMs, null);
    }

    /** A route with no limits, retry policy or timeout overrides: every one at its default. */
    public RouteSpec(String name, String host, String prefix, String path, String cluster, Long timeoutMs) {
        this(name, host, prefix, path, cluster, timeoutMs, null, null, null, null, null, null);
    }

    /** A host-less prefix route with the default timeout. */
    public static RouteSpec prefix(String prefix, String cluster) {
        return new RouteSpec(null, null, prefix, null, cluster, null);
    }
}
