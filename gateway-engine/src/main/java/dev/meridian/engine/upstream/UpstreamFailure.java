package dev.meridian.engine.upstream;

/** Why an upstream attempt failed, as the upstream layer sees it; the proxy maps it to a status. */
public enum UpstreamFailure {
    /** The endpoint refused or reset the connection attempt, or it failed otherwise. */
    CONNECT_FAILED,
    /** The connection attempt outlasted the cluster's connect timeout. */
    CONNECT_TIMEOUT,
    /** Every connection the pool may open is busy and the wait queue is full. */
    POOL_OVERFLOW,
    /** The cluster's circuit breaker holds {@code max_connections} already. */
    CONNECTION_LIMIT,
    /** The upstream sent bytes that are not a valid HTTP/1.1 response. */
    PROTOCOL_ERROR,
    /** The connection closed or reset before the response ended. */
    CLOSED
}
