package dev.meridian.engine.route;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.filter.FilterChain;
import dev.meridian.engine.limit.RequestRateLimiter;
import dev.meridian.engine.upstream.retry.RetryPolicy;
import dev.meridian.engine.upstream.retry.UpstreamTimeouts;

/**
 * A compiled route: the cluster that serves the requests it matched and the exchange timeout.
 *
 * @param name          the configured name, or {@code route-N} by position
 * @param cluster       the compiled cluster of the same snapshot
 * @param timeoutMillis time allowed from the request head until the response head (0: none)
 * @param rateLimiter   the route's per-client token buckets, or null for none
 * @param maxBodyBytes  the largest request body the route accepts, or {@link #UNLIMITED}
 * @param retryPolicy   when and how often a failed attempt is tried again
 * @param timeouts      connect, per-try, total and idle timeouts after route and cluster overrides
 * @param filters       the route's compiled filters, run after the listener's; {@link FilterChain#EMPTY} for none
 */
public record Route(String name, Cluster cluster, long timeoutMillis, RequestRateLimiter rateLimiter,
                    long maxBodyBytes, RetryPolicy retryPolicy, UpstreamTimeouts timeouts, FilterChain filters) {

    /** A route without filters. */
    public Route(String name, Cluster cluster, long timeoutMillis, RequestRateLimiter rateLimiter,
                 long maxBodyBytes, RetryPolicy retryPolicy, UpstreamTimeouts timeouts) {
        this(name, cluster, timeoutMillis, rateLimiter, maxBodyBytes, retryPolicy, timeouts, FilterChain.EMPTY);
    }

    /** {@link #maxBodyBytes} of a route without a body-size limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** A route without limits, with the default retry policy and the cluster's connect timeout. */
    public Route(String name, Cluster cluster, long timeoutMillis) {
        this(name, cluster, timeoutMillis, null, UNLIMITED, RetryPolicy.defaults(),
                new UpstreamTimeouts(cluster.connectTimeoutMs(), 0, timeoutMillis, 0));
    }
}
