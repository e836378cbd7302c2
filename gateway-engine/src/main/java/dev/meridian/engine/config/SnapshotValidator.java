package dev.meridian.engine.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one validator that admin and the engine both run over a {@link GatewaySnapshot}; it reports
 * every problem it finds, each naming the field as config files spell it.
 *
 * <p>Field paths are snake_case with indexes, e.g. {@code clusters[1].endpoints[0].weight}, and
 * messages read {@code field: value (expected: ...)}, so the API, the dashboard and the file
 * loader show the same text.
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

    /** Filter names a listener's filter_chain may use; none exist yet. */
    public static final Set<String> KNOWN_FILTERS = Set.of();

    static final String MISSING = "missing";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private SnapshotValidator() {
    }

    /** Every problem in {@code snapshot}, in field order; empty when it is valid. */
    public static List<ConfigError> validate(GatewaySnapshot snapshot) {
        return validate(snapshot, KNOWN_FILTERS);
    }

    /** As {@link #validate(GatewaySnapshot)}, accepting the given filter names in filter chains. */
    public static List<ConfigError> validate(GatewaySnapshot snapshot, Set<String> knownFilters) {
        List<ConfigError> errors = new ArrayList<>();
        if (snapshot == null) {
            errors.add(new ConfigError("snapshot", MISSING, "a configuration"));
            return errors;
        }
        validateListeners(snapshot.listeners(), knownFilters, errors);
        Set<String> clusterNames = validateClusters(snapshot.clusters(), errors);
        validateRoutes(snapshot.routes(), clusterNames, errors);
        return errors;
    }

    /** Throws {@link ConfigValidationException} carrying every problem when {@code snapshot} is invalid. */
    public static void check(GatewaySnapshot snapshot) {
        List<ConfigError> errors = validate(snapshot);
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
    }

    // ---------------------------------------------------------------- listeners

    private static void validateListeners(List<ListenerSpec> listeners, Set<String> knownFilters,
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
            for (int f = 0; f < l.filterChain().size(); f++) {
                String filter = l.filterChain().get(f);
                if (!knownFilters.contains(filter)) {
                    errors.add(new ConfigError(at + ".filter_chain[" + f + "]", show(filter),
                            "a known filter name (" + (knownFilters.isEmpty()
                                    ? "none are available yet" : String.join(", ", knownFilters.stream().sorted().toList()))
                                    + ")"));
                }
            }
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

    // ---------------------------------------------------------------- clusters

    private static Set<String> validateClusters(List<ClusterSpec> clusters, List<ConfigError> errors) {
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < clusters.size(); i++) {
            String at = "clusters[" + i + "]";
            ClusterSpec c = clusters.get(i);
            if (c.name() == null || !CLUSTER_NAME.matcher(c.name()).matches()) {
                errors.add(new ConfigError(at + ".name", show(c.name()),
                        "a non-empty name of letters, digits, '_', '.' and '-'"));
            } else {
                Integer first = names.putIfAbsent(c.name(), i);
                if (first != null) {
                    errors.add(new ConfigError(at + ".name", show(c.name()),
                            "a name not already used by clusters[" + first + "]"));
                }
            }
            if (LbPolicy.fromKey(c.lbPolicy()) == null) {
                errors.add(new ConfigError(at + ".lb_policy", show(c.lbPolicy()), "one of " + policyKeys()));
            }
            range(at + ".connect_timeout_ms", c.connectTimeoutMs(), 1, MAX_CONNECT_TIMEOUT_MS, errors);
            validateEndpoints(at, c.endpoints(), errors);
            range(at + ".max_connections_per_endpoint", c.maxConnectionsPerEndpoint(), 1, Integer.MAX_VALUE, errors);
            positive(at + ".pool_idle_timeout_ms", c.poolIdleTimeoutMs(), errors);
        }
        return names.keySet();
    }

    private static void validateEndpoints(String cluster, List<EndpointSpec> endpoints, List<ConfigError> errors) {
        if (endpoints.isEmpty()) {
            errors.add(new ConfigError(cluster + ".endpoints", "[]", "at least one endpoint"));
            return;
        }
        Map<HostPort, Integer> seen = new HashMap<>();
        for (int e = 0; e < endpoints.size(); e++) {
            String at = cluster + ".endpoints[" + e + "]";
            EndpointSpec ep = endpoints.get(e);
            HostPort address = address(at + ".address", ep.address(), 1, errors);
            if (address != null) {
                Integer first = seen.putIfAbsent(address, e);
                if (first != null) {
                    errors.add(new ConfigError(at + ".address", show(ep.address()),
                            "an address not already used by endpoints[" + first + "] of this cluster"));
                }
            }
            range(at + ".weight", ep.weight(), 1, MAX_WEIGHT, errors);
        }
    }

    // ---------------------------------------------------------------- routes

    private static void validateRoutes(List<RouteSpec> routes, Set<String> clusterNames, List<ConfigError> errors) {
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
    private static String pathProblem(String p) {
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

    private static HostPort address(String field, String value, int minPort, List<ConfigError> errors) {
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

    private static void range(String field, Number value, long min, long max, List<ConfigError> errors) {
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

    private static void positive(String field, Number value, List<ConfigError> errors) {
        if (value == null || value.longValue() <= 0) {
            errors.add(new ConfigError(field, show(value), "> 0"));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String policyKeys() {
        StringBuilder sb = new StringBuilder();
        for (LbPolicy p : LbPolicy.values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(p.key());
        }
        return sb.toString();
    }

    private static String clusterList(Set<String> names) {
        if (names.isEmpty()) {
            return " (none are defined)";
        }
        List<String> sorted = names.stream().sorted().limit(10).toList();
        return " (" + String.join(", ", sorted) + (names.size() > 10 ? ", …" : "") + ")";
    }

    /** How a value appears in a message: strings quoted and escaped, bounded in length. */
    static String show(Object value) {
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
