package dev.meridian.engine.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one validator that admin and the engine both run over a {@link GatewaySnapshot}; it reports
 * every problem it finds, each naming the field as config files spell it.
 *
 * <p>Field paths are snake_case with indexes, e.g. {@code clusters[1].endpoints[0].weight}, and
 * messages read {@code field: value (expected: ...)}, so the API, the dashboard and the file
 * loader show the same text.
 *
 * <p>Filter entries ({@code filter_chain}, a route's {@code filters}) are checked, in their place
 * in field order, by the {@link FilterChainValidator} passed in: only the filter package knows a
 * filter's settings, and config depends on no other engine package. The engine validates with
 * its filter registry's ({@code SnapshotCompiler.validate}) before it compiles or swaps anything;
 * {@link #validate(GatewaySnapshot)} leaves filter lists to that check.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>key</th><th>allowed</th><th>why</th></tr>
 *   <tr><td>max_request_line_bytes</td><td>256..1 MiB</td><td>below 256 common requests fail; above
 *       1 MiB one connection can pin a lot of memory</td></tr>
 *   <tr><td>max_header_bytes</td><td>1 KiB..1 MiB</td><td>same reasoning for the header block</td></tr>
 *   <tr><td>max_header_count</td><td>1..10000</td><td>bounds the per-request header index</td></tr>
 *   <tr><td>connect_timeout_ms</td><td>1..600000</td><td>ten minutes is beyond any sane connect</td></tr>
 *   <tr><td>weight</td><td>1..1000</td><td>keeps balancer tables small and sums far from overflow</td></tr>
 *   <tr><td>rate_limit.requests_per_second</td><td>&gt; 0 ..1000000</td><td>fractions allowed (0.5 is one
 *       request every two seconds); above a million per client a limit means nothing</td></tr>
 *   <tr><td>rate_limit.burst</td><td>1..1000000</td><td>same bound</td></tr>
 *   <tr><td>min_body_rate_bytes_per_s</td><td>&gt;= 0</td><td>0 turns the check off</td></tr>
 *   <tr><td>health_check jitter_ms</td><td>0..86400000</td><td>a day of jitter is already no health checking</td></tr>
 *   <tr><td>num_retries</td><td>0..10</td><td>more retries multiply an outage rather than mask it</td></tr>
 *   <tr><td>backoff_base_ms, backoff_max_ms</td><td>1..60000</td><td>a backoff longer than a minute is a timeout</td></tr>
 * </table>
 */
public final class SnapshotValidator {

    public static final int MIN_REQUEST_LINE_BYTES = 256;
    public static final int MIN_HEADER_BYTES = 1024;
    public static final int MAX_LIMIT_BYTES = 1024 * 1024;
    public static final int MAX_HEADER_COUNT = 10_000;
    public static final long MAX_CONNECT_TIMEOUT_MS = 600_000;
    public static final int MAX_WEIGHT = 1000;
    public static final double MAX_RATE_LIMIT = 1_000_000;
    public static final long MAX_HEALTH_CHECK_MS = 86_400_000;
    public static final int MAX_NUM_RETRIES = 10;
    public static final long MAX_BACKOFF_MS = 60_000;

    /** The conditions {@code retry_on} may name. */
    public static final List<String> RETRY_ON = List.of("connect-failure", "reset", "5xx", "gateway-error",
            "retriable-status-codes");

    static final String MISSING = "missing";
    /** What {@link #validate(GatewaySnapshot)} checks filter lists with: nothing (the engine's check does). */
    private static final FilterChainValidator NO_FILTER_CHECK = (at, chain, errors) -> { };

    private SnapshotValidator() {
    }

    /**
     * Every problem in {@code snapshot} except in its filter lists, in field order; empty when it is
     * valid. Package-private: outside config, the complete check is {@code SnapshotCompiler.validate},
     * so no caller can skip the filter entries by accident.
     */
    static List<ConfigError> validate(GatewaySnapshot snapshot) {
        return validate(snapshot, NO_FILTER_CHECK);
    }

    /**
     * Every problem in {@code snapshot}, in field order, each filter list checked by {@code filters};
     * empty when it is valid.
     */
    public static List<ConfigError> validate(GatewaySnapshot snapshot, FilterChainValidator filters) {
        List<ConfigError> errors = new ArrayList<>();
        if (snapshot == null) {
            errors.add(new ConfigError("snapshot", MISSING, "a configuration"));
            return errors;
        }
        validateListeners(snapshot.listeners(), filters, errors);
        Set<String> clusterNames = ClusterSpecValidator.validate(snapshot.clusters(), errors);
        validateRoutes(snapshot.routes(), clusterNames, filters, errors);
        return errors;
    }

    /** {@link #validate(GatewaySnapshot)}, throwing {@link ConfigValidationException} with every problem (package-private, as it). */
    static void check(GatewaySnapshot snapshot) {
        check(snapshot, NO_FILTER_CHECK);
    }

    /** {@link #validate(GatewaySnapshot, FilterChainValidator)}, throwing {@link ConfigValidationException} with every problem. */
    public static void check(GatewaySnapshot snapshot, FilterChainValidator filters) {
        List<ConfigError> errors = validate(snapshot, filters);
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
    }

    // ---------------------------------------------------------------- listeners

    private static void validateListeners(List<ListenerSpec> listeners, FilterChainValidator filters,
            List<ConfigError> errors) {
        if (listeners.isEmpty()) {
            errors.add(new ConfigError("listeners", "[]", "at least one listener"));
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<HostPort, Integer> addresses = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            String at = "listeners[" + i + "]";
            ListenerSpec l = listeners.get(i);
            if (blank(l.name())) {
                errors.add(new ConfigError(at + ".name", show(l.name()), "a non-empty name"));
            } else {
                Integer first = names.putIfAbsent(l.name(), i);
                if (first != null) {
                    errors.add(new ConfigError(at + ".name", show(l.name()),
                            "a name not already used by listeners[" + first + "]"));
                }
            }
            HostPort address = address(at + ".address", l.address(), 0, errors);
            if (address != null && address.port() != 0) {
                // Port 0 asks the OS for a free port, so two such listeners never collide.
                Integer first = addresses.putIfAbsent(address, i);
                if (first != null) {
                    errors.add(new ConfigError(at + ".address", show(l.address()),
                            "an address not already used by listeners[" + first + "]"));
                }
            }
            filters.validate(at + ".filter_chain", l.filterChain(), errors);
            range(at + ".max_request_line_bytes", l.maxRequestLineBytes(), MIN_REQUEST_LINE_BYTES, MAX_LIMIT_BYTES, errors);
            range(at + ".max_header_bytes", l.maxHeaderBytes(), MIN_HEADER_BYTES, MAX_LIMIT_BYTES, errors);
            range(at + ".max_header_count", l.maxHeaderCount(), 1, MAX_HEADER_COUNT, errors);
            positive(at + ".idle_timeout_ms", l.idleTimeoutMs(), errors);
            positive(at + ".request_head_timeout_ms", l.requestHeadTimeoutMs(), errors);
            if (l.minBodyRateBytesPerS() == null || l.minBodyRateBytesPerS() < 0) {
                errors.add(new ConfigError(at + ".min_body_rate_bytes_per_s", show(l.minBodyRateBytesPerS()),
                        ">= 0 (0 turns the check off)"));
            }
            positive(at + ".body_rate_window_ms", l.bodyRateWindowMs(), errors);
            positive(at + ".max_connections", l.maxConnections(), errors);
            positive(at + ".max_connections_per_ip", l.maxConnectionsPerIp(), errors);
            rateLimit(at + ".rate_limit", l.rateLimit(), errors);
        }
    }

    // ---------------------------------------------------------------- routes

    private static void validateRoutes(List<RouteSpec> routes, Set<String> clusterNames, FilterChainValidator filters,
            List<ConfigError> errors) {
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> matches = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            String at = "routes[" + i + "]";
            RouteSpec r = routes.get(i);
            if (r.name() != null) {
                if (r.name().isBlank()) {
                    errors.add(new ConfigError(at + ".name", show(r.name()), "a non-empty name, or no name"));
                } else {
                    Integer first = names.putIfAbsent(r.name(), i);
                    if (first != null) {
                        errors.add(new ConfigError(at + ".name", show(r.name()),
                                "a name not already used by routes[" + first + "]"));
                    }
                }
            }
            boolean hostOk = true;
            if (r.host() != null && !isRouteHost(r.host())) {
                hostOk = false;
                errors.add(new ConfigError(at + ".host", show(r.host()),
                        "a hostname without port (letters, digits, '-' and '.'), optionally starting with '*.'"));
            }
            String matchKey = null;
            if (r.prefix() != null && r.path() != null) {
                errors.add(new ConfigError(at, "prefix " + show(r.prefix()) + " and path " + show(r.path()),
                        "exactly one of prefix or path"));
            } else if (r.prefix() == null && r.path() == null) {
                errors.add(new ConfigError(at, "neither prefix nor path", "exactly one of prefix or path"));
            } else {
                String key = r.prefix() != null ? "prefix" : "path";
                String value = r.prefix() != null ? r.prefix() : r.path();
                String problem = pathProblem(value);
                if (problem != null) {
                    errors.add(new ConfigError(at + "." + key, show(value), problem));
                } else {
                    matchKey = key + " " + value;
                }
            }
            if (matchKey != null && hostOk) {
                String host = r.host() == null ? "" : r.host().toLowerCase(Locale.ROOT);
                Integer first = matches.putIfAbsent(host + "\n" + matchKey, i);
                if (first != null) {
                    String key = r.prefix() != null ? "prefix" : "path";
                    errors.add(new ConfigError(at + "." + key, show(r.prefix() != null ? r.prefix() : r.path()),
                            "a match not already used by routes[" + first + "] for the same host"));
                }
            }
            if (r.cluster() == null || !clusterNames.contains(r.cluster())) {
                errors.add(new ConfigError(at + ".cluster", show(r.cluster()),
                        "the name of a defined cluster" + clusterList(clusterNames)));
            }
            if (r.timeoutMs() == null || r.timeoutMs() < 0) {
                errors.add(new ConfigError(at + ".timeout_ms", show(r.timeoutMs()), ">= 0 (0 means no timeout)"));
            }
            rateLimit(at + ".rate_limit", r.rateLimit(), errors);
            if (r.maxBodyBytes() != null && r.maxBodyBytes() <= 0) {
                errors.add(new ConfigError(at + ".max_body_bytes", show(r.maxBodyBytes()),
                        "> 0 (leave it out for no limit)"));
            }
            if (r.connectTimeoutMs() != null) {
                range(at + ".connect_timeout_ms", r.connectTimeoutMs(), 1, MAX_CONNECT_TIMEOUT_MS, errors);
            }
            if (r.idleTimeoutMs() != null) {
                positive(at + ".idle_timeout_ms", r.idleTimeoutMs(), errors);
            }
            if (r.retryPolicy() != null) {
                validateRetryPolicy(at + ".retry_policy", r.retryPolicy(), errors);
            }
            filters.validate(at + ".filters", r.filters(), errors);
        }
    }

    private static void validateRetryPolicy(String at, RetryPolicySpec p, List<ConfigError> errors) {
        boolean statusCodes = false;
        for (int i = 0; i < p.retryOn().size(); i++) {
            String on = p.retryOn().get(i);
            if (!RETRY_ON.contains(on)) {
                errors.add(new ConfigError(at + ".retry_on[" + i + "]", show(on), "one of " + String.join(", ", RETRY_ON)));
            }
            statusCodes |= "retriable-status-codes".equals(on);
        }
        range(at + ".num_retries", p.numRetries(), 0, MAX_NUM_RETRIES, errors);
        if (p.perTryTimeoutMs() == null || p.perTryTimeoutMs() < 0) {
            errors.add(new ConfigError(at + ".per_try_timeout_ms", show(p.perTryTimeoutMs()), ">= 0 (0 means none)"));
        }
        range(at + ".backoff_base_ms", p.backoffBaseMs(), 1, MAX_BACKOFF_MS, errors);
        range(at + ".backoff_max_ms", p.backoffMaxMs(), 1, MAX_BACKOFF_MS, errors);
        if (p.backoffBaseMs() != null && p.backoffMaxMs() != null && p.backoffMaxMs() < p.backoffBaseMs()) {
            errors.add(new ConfigError(at + ".backoff_max_ms", show(p.backoffMaxMs()),
                    ">= backoff_base_ms (" + p.backoffBaseMs() + ")"));
        }
        for (int i = 0; i < p.retriableStatusCodes().size(); i++) {
            range(at + ".retriable_status_codes[" + i + "]", p.retriableStatusCodes().get(i), 100, 599, errors);
        }
        if (statusCodes && p.retriableStatusCodes().isEmpty()) {
            errors.add(new ConfigError(at + ".retriable_status_codes", "[]",
                    "at least one status when retry_on has retriable-status-codes"));
        } else if (!statusCodes && !p.retriableStatusCodes().isEmpty()) {
            errors.add(new ConfigError(at + ".retriable_status_codes", show(p.retriableStatusCodes()),
                    "no codes unless retry_on has retriable-status-codes"));
        }
    }

    /** A route host: a DNS name, optionally {@code *.} + a DNS name; no port, no bare {@code *}. */
    private static boolean isRouteHost(String host) {
        String name = host.startsWith("*.") ? host.substring(2) : host;
        return HostPort.isHostname(name, false);
    }

    /**
     * Why a prefix or path cannot match anything, or null. The matcher compares raw request-target
     * bytes without the query, so spaces, controls, non-ASCII, '?' and '#' could never match.
     */
    static String pathProblem(String p) {
        if (p.isEmpty() || p.charAt(0) != '/') {
            return "a path starting with '/'";
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '?' || c == '#') {
                return "visible ASCII without '?' or '#' (percent-encode other bytes)";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- helpers

    static HostPort address(String field, String value, int minPort, List<ConfigError> errors) {
        if (value == null) {
            errors.add(new ConfigError(field, MISSING, HostPort.EXPECTED));
            return null;
        }
        HostPort hp;
        try {
            hp = HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(field, show(value), e.getMessage()));
            return null;
        }
        if (hp.port() < minPort) {
            errors.add(new ConfigError(field, show(value), "a port " + minPort + "..65535"));
            return null;
        }
        return hp;
    }

    static void range(String field, Number value, long min, long max, List<ConfigError> errors) {
        if (value == null || value.longValue() < min || value.longValue() > max) {
            String expected = max == Integer.MAX_VALUE ? ">= " + min
                    : min == 1 ? "> 0 and <= " + max : ">= " + min + " and <= " + max;
            errors.add(new ConfigError(field, show(value), expected));
        }
    }

    /** A token bucket is optional; when present both numbers must make a usable bucket. */
    private static void rateLimit(String field, ListenerSpec.RateLimit limit, List<ConfigError> errors) {
        if (limit == null) {
            return;
        }
        Double rps = limit.requestsPerSecond();
        if (rps == null || !(rps > 0) || rps > MAX_RATE_LIMIT) {
            errors.add(new ConfigError(field + ".requests_per_second", show(rps), "> 0 and <= 1000000"));
        }
        range(field + ".burst", limit.burst(), 1, (long) MAX_RATE_LIMIT, errors);
    }

    static void positive(String field, Number value, List<ConfigError> errors) {
        if (value == null || value.longValue() <= 0) {
            errors.add(new ConfigError(field, show(value), "> 0"));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String clusterList(Set<String> names) {
        if (names.isEmpty()) {
            return " (none are defined)";
        }
        List<String> sorted = names.stream().sorted().limit(10).toList();
        return " (" + String.join(", ", sorted) + (names.size() > 10 ? ", …" : "") + ")";
    }

    /** How a value appears in a message: strings quoted and escaped, bounded in length. */
    public static String show(Object value) {
        if (value == null) {
            return MISSING;
        }
        if (!(value instanceof String s)) {
            return String.valueOf(value);
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 80) + 2).append('"');
        int limit = Math.min(s.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > limit) {
            sb.append('…');
        }
        return sb.append('"').toString();
    }
}
