package dev.meridian.engine.proxy;

/**
 * The one typed failure of a proxied request: its kind, where it came from, and (the single place
 * this mapping lives) the status the client sees. Whether another attempt is made is not a
 * property of the kind: the route's {@code RetryPolicy} decides, from what was sent and the method.
 */
enum ProxyFailure {
    /** The path has octets with no single safe reading (encoded slash, backslash, NUL, bad escape). */
    BAD_PATH(400, Source.DOWNSTREAM),
    /** No route matched the request's host and path. */
    NO_ROUTE(404, Source.DOWNSTREAM),
    /** The route's cluster has no endpoint to pick. */
    NO_ENDPOINT(503, Source.INTERNAL),
    /** The cluster's circuit breaker is at a threshold (requests, pending requests, connections). */
    BREAKER_OVERFLOW(503, Source.INTERNAL),
    /** Every connection to the endpoint is busy and the wait queue is full. */
    POOL_OVERFLOW(503, Source.UPSTREAM),
    /** The endpoint refused or failed the TCP connect. */
    CONNECT_FAILED(502, Source.UPSTREAM),
    /** The TCP connect outlasted the cluster's connect timeout (nginx answers 504 too). */
    CONNECT_TIMEOUT(504, Source.UPSTREAM),
    /** The upstream's response was not valid HTTP/1.1. */
    UPSTREAM_PROTOCOL(502, Source.UPSTREAM),
    /** The upstream closed or reset the connection before its response ended. */
    UPSTREAM_CLOSED(502, Source.UPSTREAM),
    /** No response head arrived within the route timeout. */
    UPSTREAM_TIMEOUT(504, Source.UPSTREAM);

    /** Which side of the proxy a failure came from. */
    enum Source { DOWNSTREAM, UPSTREAM, INTERNAL }

    final int status;
    final Source source;
    ProxyFailure(int status, Source source) {
        this.status = status;
        this.source = source;
    }
}
