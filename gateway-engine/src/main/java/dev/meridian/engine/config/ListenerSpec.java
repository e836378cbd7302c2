package dev.meridian.engine.config;

import java.util.List;

/**
 * One data-plane listener: where it binds and the limits it applies to downstream requests.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>max_request_line_bytes</td><td>8192</td><td>RFC 9112 §3 recommends at least 8000 octets</td></tr>
 *   <tr><td>max_header_bytes</td><td>65536</td><td>all field lines together; answered 431 beyond</td></tr>
 *   <tr><td>max_header_count</td><td>100</td><td>Envoy's default; answered 431 beyond</td></tr>
 *   <tr><td>idle_timeout_ms</td><td>60000</td><td>an idle keep-alive connection is closed after this</td></tr>
 *   <tr><td>request_head_timeout_ms</td><td>10000</td><td>the whole request head must arrive within this
 *       (slowloris); 408 and close if some bytes came, a silent close if none. HAProxy's common
 *       {@code timeout http-request}; nginx's 60 s {@code client_header_timeout} lets one slow client
 *       hold a connection six times as long</td></tr>
 *   <tr><td>min_body_rate_bytes_per_s</td><td>1024</td><td>a request body must average at least this
 *       over every {@code body_rate_window_ms} while we are reading it (slow POST / R.U.D.Y.); 408 and
 *       close otherwise. 8 kbit/s is below any real uplink; 0 turns the check off</td></tr>
 *   <tr><td>body_rate_window_ms</td><td>10000</td><td>the window of the body-rate check; the first
 *       window is also the grace period after the head</td></tr>
 *   <tr><td>max_connections</td><td>100000</td><td>open connections on this listener; more are closed
 *       right after accept. Above what one instance serves well (each connection costs a descriptor
 *       and a few KiB), below where the process would run out of descriptors for upstreams once
 *       {@code ulimit -n} is raised as production hosts do</td></tr>
 *   <tr><td>max_connections_per_ip</td><td>1024</td><td>open connections from one client address;
 *       enough for a large NAT (a browser opens 6 per host, so ~170 busy browsers behind one address),
 *       while one attacking address holds at most 1% of {@code max_connections}</td></tr>
 *   <tr><td>rate_limit</td><td>none</td><td>{@code { requests_per_second, burst }}: a token bucket per
 *       client address for every request on this listener; 429 with {@code Retry-After} beyond it</td></tr>
 *   <tr><td>filter_chain</td><td>[]</td><td>{@link FilterSpec}s run in order on every request of this
 *       listener, before routing; their response hooks run in reverse after the route's</td></tr>
 * </table>
 */
public record ListenerSpec(
        String name,
        String address,
        List<FilterSpec> filterChain,
        Integer maxRequestLineBytes,
        Integer maxHeaderBytes,
        Integer maxHeaderCount,
        Long idleTimeoutMs,
        Long requestHeadTimeoutMs,
        Long minBodyRateBytesPerS,
        Long bodyRateWindowMs,
        Integer maxConnections,
        Integer maxConnectionsPerIp,
        RateLimit rateLimit) {

    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;
    public static final int DEFAULT_MAX_HEADER_BYTES = 65536;
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_REQUEST_HEAD_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_MIN_BODY_RATE_BYTES_PER_S = 1024;
    public static final long DEFAULT_BODY_RATE_WINDOW_MS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 1024;

    public ListenerSpec {
        filterChain = filterChain == null ? List.of() : List.copyOf(filterChain);
        maxRequestLineBytes = maxRequestLineBytes == null ? DEFAULT_MAX_REQUEST_LINE_BYTES : maxRequestLineBytes;
        maxHeaderBytes = maxHeaderBytes == null ? DEFAULT_MAX_HEADER_BYTES : maxHeaderBytes;
        maxHeaderCount = maxHeaderCount == null ? DEFAULT_MAX_HEADER_COUNT : maxHeaderCount;
        idleTimeoutMs = idleTimeoutMs == null ? DEFAULT_IDLE_TIMEOUT_MS : idleTimeoutMs;
        requestHeadTimeoutMs = requestHeadTimeoutMs == null ? DEFAULT_REQUEST_HEAD_TIMEOUT_MS : requestHeadTimeoutMs;
        minBodyRateBytesPerS = minBodyRateBytesPerS == null ? DEFAULT_MIN_BODY_RATE_BYTES_PER_S : minBodyRateBytesPerS;
        bodyRateWindowMs = bodyRateWindowMs == null ? DEFAULT_BODY_RATE_WINDOW_MS : bodyRateWindowMs;
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        maxConnectionsPerIp = maxConnectionsPerIp == null ? DEFAULT_MAX_CONNECTIONS_PER_IP : maxConnectionsPerIp;
    }

    /** A listener with the given parse limits and every abuse limit at its default. */
    public ListenerSpec(String name, String address, List<FilterSpec> filterChain, Integer maxRequestLineBytes,
                        Integer maxHeaderBytes, Integer maxHeaderCount, Long idleTimeoutMs) {
        this(name, address, filterChain, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, idleTimeoutMs,
                null, null, null, null, null, null);
    }

    /** A listener with every limit at its default. */
    public static ListenerSpec of(String name, String address) {
        return new ListenerSpec(name, address, List.of(), null, null, null, null);
    }

    /**
     * A per-client-address token bucket, {@code rate_limit = { requests_per_second = 50, burst = 100 }},
     * used by listeners and routes alike. {@code burst} (default: one second's worth, at least 1)
     * is how many requests a client with a full bucket may send at once.
     */
    public record RateLimit(Double requestsPerSecond, Integer burst) {

        public RateLimit {
            if (burst == null && requestsPerSecond != null && requestsPerSecond > 0) {
                burst = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(requestsPerSecond)));
            }
        }
    }
}
