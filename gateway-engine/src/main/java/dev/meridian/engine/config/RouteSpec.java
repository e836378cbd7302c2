package dev.meridian.engine.config;

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
 */
public record RouteSpec(String name, String host, String prefix, String path, String cluster, Long timeoutMs,
                        RetryPolicySpec retryPolicy, Long connectTimeoutMs, Long idleTimeoutMs) {

    public static final long DEFAULT_TIMEOUT_MS = 15_000;

    public RouteSpec {
        timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
    }

    /** A route without retry policy or timeout overrides (the record before they existed). */
    public RouteSpec(String name, String host, String prefix, String path, String cluster, Long timeoutMs) {
        this(name, host, prefix, path, cluster, timeoutMs, null, null, null);
    }

    /** A host-less prefix route with the default timeout. */
    public static RouteSpec prefix(String prefix, String cluster) {
        return new RouteSpec(null, null, prefix, null, cluster, null);
    }
}
