package dev.meridian.engine.upstream.retry;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.RouteSpec;

/**
 * The timeouts one request on a route runs under, the route's overrides applied over its
 * cluster's (and listener's) defaults. All in milliseconds; 0 means "none" (or, for
 * {@code idleTimeoutMs}, "the listener's").
 *
 * @param connectTimeoutMs route {@code connect_timeout_ms}, else the cluster's
 * @param perTryTimeoutMs  {@code retry_policy.per_try_timeout_ms}: from sending an attempt to its
 *                         response head; 0 for none
 * @param totalTimeoutMs   route {@code timeout_ms}: from the request head to the response head,
 *                         across all attempts and backoffs; 0 for none
 * @param idleTimeoutMs    route {@code idle_timeout_ms}: the longest silence in either direction
 *                         once the exchange started; 0 for the listener's {@code idle_timeout_ms}
 */
public record UpstreamTimeouts(long connectTimeoutMs, long perTryTimeoutMs, long totalTimeoutMs, long idleTimeoutMs) {

    /** The effective timeouts of validated {@code route} served by validated {@code cluster}. */
    public static UpstreamTimeouts of(RouteSpec route, ClusterSpec cluster) {
        long connect = route.connectTimeoutMs() != null ? route.connectTimeoutMs() : cluster.connectTimeoutMs();
        long perTry = route.retryPolicy() != null ? route.retryPolicy().perTryTimeoutMs() : 0;
        long idle = route.idleTimeoutMs() != null ? route.idleTimeoutMs() : 0;
        return new UpstreamTimeouts(connect, perTry, route.timeoutMs(), idle);
    }

    /**
     * How long the next attempt may wait for its response head, given the time left of the total
     * timeout ({@code remainingTotalMs}, ignored when the route has none): the smaller of the two.
     */
    public long attemptTimeoutMs(long remainingTotalMs) {
        if (totalTimeoutMs == 0) {
            return perTryTimeoutMs;
        }
        long left = Math.max(1, remainingTotalMs);
        return perTryTimeoutMs == 0 ? left : Math.min(perTryTimeoutMs, left);
    }
}
