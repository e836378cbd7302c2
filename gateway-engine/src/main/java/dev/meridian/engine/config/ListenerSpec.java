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
 * </table>
 */
public record ListenerSpec(
        String name,
        String address,
        List<String> filterChain,
        Integer maxRequestLineBytes,
        Integer maxHeaderBytes,
        Integer maxHeaderCount,
        Long idleTimeoutMs) {

    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;
    public static final int DEFAULT_MAX_HEADER_BYTES = 65536;
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

    public ListenerSpec {
        filterChain = filterChain == null ? List.of() : List.copyOf(filterChain);
        maxRequestLineBytes = maxRequestLineBytes == null ? DEFAULT_MAX_REQUEST_LINE_BYTES : maxRequestLineBytes;
        maxHeaderBytes = maxHeaderBytes == null ? DEFAULT_MAX_HEADER_BYTES : maxHeaderBytes;
        maxHeaderCount = maxHeaderCount == null ? DEFAULT_MAX_HEADER_COUNT : maxHeaderCount;
        idleTimeoutMs = idleTimeoutMs == null ? DEFAULT_IDLE_TIMEOUT_MS : idleTimeoutMs;
    }

    /** A listener with every limit at its default. */
    public static ListenerSpec of(String name, String address) {
        return new ListenerSpec(name, address, List.of(), null, null, null, null);
    }
}
