package dev.meridian.engine.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's process-wide traffic counters, striped so event loops never contend on them.
 *
 * <p>Admin reads them for {@code /stats} and binds them to Micrometer; the hot path only ever
 * calls {@code increment()} on a field resolved at compile time.
 */
public final class ProxyStats {

    public final LongAdder downstreamConnectionsTotal = new LongAdder();
    public final LongAdder downstreamConnectionsActive = new LongAdder();
    public final LongAdder requestsTotal = new LongAdder();
    /**
     * From a request head decoded to the end of its exchange (last response byte written, or the
     * request failed), on the event loop's coarse clock: {@code meridian_request_duration_seconds}.
     */
    public final LatencyHistogram requestDuration = LatencyHistogram.create();
    public final LongAdder requestsActive = new LongAdder();
    public final LongAdder responses1xx = new LongAdder();
    public final LongAdder responses2xx = new LongAdder();
    public final LongAdder responses3xx = new LongAdder();
    public final LongAdder responses4xx = new LongAdder();
    public final LongAdder responses5xx = new LongAdder();
    /** Requests the decoder rejected (bad framing, limits): hostile or broken clients. */
    public final LongAdder requestsRejected = new LongAdder();
    public final LongAdder upstreamConnectionsOpened = new LongAdder();
    public final LongAdder upstreamConnectFailures = new LongAdder();
    public final LongAdder upstreamTimeouts = new LongAdder();
    public final LongAdder upstreamProtocolErrors = new LongAdder();
    public final LongAdder upstreamRetries = new LongAdder();
    /** Requests refused with 503 because a cluster's circuit breaker was at a threshold. */
    public final LongAdder breakerOverflows = new LongAdder();
    /** Connections closed right after accept because the listener was at {@code max_connections}. */
    public final LongAdder connectionsRejectedMaxConnections = new LongAdder();
    /** Connections closed right after accept because their address was at {@code max_connections_per_ip}. */
    public final LongAdder connectionsRejectedMaxPerIp = new LongAdder();
    /** Connections whose request head did not arrive within {@code request_head_timeout_ms} (slowloris). */
    public final LongAdder requestHeadTimeouts = new LongAdder();
    /** Requests whose body arrived slower than {@code min_body_rate_bytes_per_s} (slow POST). */
    public final LongAdder requestBodyTooSlow = new LongAdder();
    /** Requests answered 429 by a listener or route rate limit. */
    public final LongAdder requestsRateLimited = new LongAdder();
    /** Requests answered 413 (or cut off) because their body exceeded the route's {@code max_body_bytes}. */
    public final LongAdder requestBodyTooLarge = new LongAdder();

    /** Counts one response sent downstream by its status class. */
    public void countResponse(int status) {
        switch (status / 100) {
            case 1 -> responses1xx.increment();
            case 2 -> responses2xx.increment();
            case 3 -> responses3xx.increment();
            case 4 -> responses4xx.increment();
            default -> responses5xx.increment();
        }
    }
}
