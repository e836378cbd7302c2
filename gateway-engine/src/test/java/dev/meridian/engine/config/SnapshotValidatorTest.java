package dev.meridian.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.runtime.SnapshotCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotValidatorTest {

    private static final ListenerSpec LISTENER = ListenerSpec.of("http", "0.0.0.0:8080");
    private static final ClusterSpec CLUSTER = ClusterSpec.of("backend", List.of(EndpointSpec.of("127.0.0.1:9001")));
    private static final RouteSpec ROUTE = RouteSpec.prefix("/", "backend");

    private static GatewaySnapshot snapshot(List<ListenerSpec> listeners, List<ClusterSpec> clusters, List<RouteSpec> routes) {
        return new GatewaySnapshot(listeners, clusters, routes);
    }

    private static List<String> errorsOf(GatewaySnapshot s) {
        return SnapshotValidator.validate(s).stream().map(ConfigError::message).toList();
    }

    private static List<String> listenerErrors(ListenerSpec... listeners) {
        return errorsOf(snapshot(List.of(listeners), List.of(CLUSTER), List.of(ROUTE)));
    }

    private static List<String> clusterErrors(ClusterSpec... clusters) {
        return errorsOf(snapshot(List.of(LISTENER), List.of(clusters), List.of()));
    }

    private static List<String> routeErrors(RouteSpec... routes) {
        return errorsOf(snapshot(List.of(LISTENER), List.of(CLUSTER), List.of(routes)));
    }

    private static ListenerSpec listener(String name, String address, Integer lineBytes, Integer headerBytes,
            Integer headerCount, Long idleMs) {
        return new ListenerSpec(name, address, List.of(), lineBytes, headerBytes, headerCount, idleMs);
    }

    private static ClusterSpec cluster(String lb, Long connectMs, Integer maxConns, Long idleMs, EndpointSpec... eps) {
        return new ClusterSpec("backend", lb, connectMs, List.of(eps), maxConns, idleMs);
    }

    private static RouteSpec route(String name, String host, String prefix, String path, String cluster, Long timeout) {
        return new RouteSpec(name, host, prefix, path, cluster, timeout);
    }

    @Test
    void acceptsAMinimalValidSnapshot() {
        assertThat(errorsOf(snapshot(List.of(LISTENER), List.of(CLUSTER), List.of(ROUTE)))).isEmpty();
        assertThatCode(() -> SnapshotValidator.check(snapshot(List.of(LISTENER), List.of(CLUSTER), List.of(ROUTE))))
                .doesNotThrowAnyException();
    }

    @Test
    void requiresAtLeastOneListener() {
        assertThat(errorsOf(snapshot(List.of(), List.of(CLUSTER), List.of())))
                .containsExactly("listeners: [] (expected: at least one listener)");
    }

    @Test
    void requiresNonEmptyUniqueListenerNames() {
        assertThat(listenerErrors(ListenerSpec.of(" ", "0.0.0.0:1")))
                .containsExactly("listeners[0].name: \" \" (expected: a non-empty name)");
        assertThat(listenerErrors(ListenerSpec.of(null, "0.0.0.0:1")))
                .containsExactly("listeners[0].name: missing (expected: a non-empty name)");
        assertThat(listenerErrors(ListenerSpec.of("a", "0.0.0.0:1"), ListenerSpec.of("a", "0.0.0.0:2")))
                .containsExactly("listeners[1].name: \"a\" (expected: a name not already used by listeners[0])");
    }

    @Test
    void acceptsIpv4Ipv6AndHostnameListenerAddressesIncludingPortZero() {
        assertThat(listenerErrors(ListenerSpec.of("a", "127.0.0.1:0"), ListenerSpec.of("b", "[::1]:8443"),
                ListenerSpec.of("c", "localhost:65535"), ListenerSpec.of("d", "0.0.0.0:0"))).isEmpty();
    }

    @Test
    void rejectsUnparsableListenerAddresses() {
        assertThat(listenerErrors(ListenerSpec.of("a", "8080"))).containsExactly(
                "listeners[0].address: \"8080\" (expected: host:port with an IPv4 address, [IPv6] address or hostname)");
        assertThat(listenerErrors(ListenerSpec.of("a", "0.0.0.0:65536"))).containsExactly(
                "listeners[0].address: \"0.0.0.0:65536\" (expected: a port 0..65535 after the ':')");
        assertThat(listenerErrors(ListenerSpec.of("a", "300.1.1.1:80"))).containsExactly(
                "listeners[0].address: \"300.1.1.1:80\" (expected: a valid IPv4 address (four numbers 0..255))");
        assertThat(listenerErrors(ListenerSpec.of("a", "::1:80"))).hasSize(1);
        assertThat(listenerErrors(ListenerSpec.of("a", "[fe80::zz]:80"))).hasSize(1);
        assertThat(listenerErrors(ListenerSpec.of("a", "bad host:80"))).hasSize(1);
        assertThat(listenerErrors(ListenerSpec.of("a", null)))
                .containsExactly("listeners[0].address: missing (expected: host:port with an IPv4 address, "
                        + "[IPv6] address or hostname)");
    }

    @Test
    void rejectsTwoListenersOnTheSameAddressButAllowsSharedPortZero() {
        assertThat(listenerErrors(ListenerSpec.of("a", "0.0.0.0:80"), ListenerSpec.of("b", "0.0.0.0:80")))
                .containsExactly("listeners[1].address: \"0.0.0.0:80\" (expected: an address not already used by listeners[0])");
        assertThat(listenerErrors(ListenerSpec.of("a", "LOCALHOST:80"), ListenerSpec.of("b", "localhost:80")))
                .hasSize(1);
        assertThat(listenerErrors(ListenerSpec.of("a", "127.0.0.1:0"), ListenerSpec.of("b", "127.0.0.1:0"))).isEmpty();
    }

    @Test
    void rejectsUnknownFilterNamesInTheEnginesCompleteCheck() {
        ListenerSpec l = new ListenerSpec("a", "0.0.0.0:80", List.of(FilterSpec.of("gzip")), null, null, null, null);
        assertThat(SnapshotCompiler.validate(snapshot(List.of(l), List.of(CLUSTER), List.of(ROUTE))))
                .extracting(ConfigError::message).containsExactly("listeners[0].filter_chain[0].name: \"gzip\" "
                        + "(expected: one of: direct_response, request_headers, response_headers)");
        assertThat(listenerErrors(l)).as("config alone knows no filters").isEmpty();
    }

    @Test
    void checksEachFilterListInFieldOrderWithTheGivenValidator() {
        ListenerSpec l = new ListenerSpec("a", "0.0.0.0:80", List.of(FilterSpec.of("x")), 1, null, null, null);
        RouteSpec r = new RouteSpec(null, null, "/", null, "nope", null, null, null, null, null, null,
                List.of(FilterSpec.of("y"), FilterSpec.of("z")));
        FilterChainValidator names = (at, chain, errors) -> {
            for (int i = 0; i < chain.size(); i++) {
                errors.add(new ConfigError(at + "[" + i + "].name", chain.get(i).name(), "a test filter"));
            }
        };
        assertThat(SnapshotValidator.validate(snapshot(List.of(l), List.of(CLUSTER), List.of(r)), names))
                .extracting(ConfigError::field).containsExactly(
                        "listeners[0].filter_chain[0].name", "listeners[0].max_request_line_bytes",
                        "routes[0].cluster", "routes[0].filters[0].name", "routes[0].filters[1].name");
    }

    @Test
    void boundsListenerLimits() {
        assertThat(listenerErrors(listener("a", "0.0.0.0:1", 255, 1023, 0, 0L))).containsExactly(
                "listeners[0].max_request_line_bytes: 255 (expected: >= 256 and <= 1048576)",
                "listeners[0].max_header_bytes: 1023 (expected: >= 1024 and <= 1048576)",
                "listeners[0].max_header_count: 0 (expected: > 0 and <= 10000)",
                "listeners[0].idle_timeout_ms: 0 (expected: > 0)");
        assertThat(listenerErrors(listener("a", "0.0.0.0:1", 1048577, 1048577, 10001, -1L))).hasSize(4);
        assertThat(listenerErrors(listener("a", "0.0.0.0:1", 256, 1024, 1, 1L))).isEmpty();
        assertThat(listenerErrors(listener("a", "0.0.0.0:1", 1048576, 1048576, 10000, Long.MAX_VALUE))).isEmpty();
    }

    @Test
    void requiresWellFormedUniqueClusterNames() {
        ClusterSpec bad = new ClusterSpec("my backend", null, null, List.of(EndpointSpec.of("a:1")), null, null);
        assertThat(clusterErrors(bad)).containsExactly(
                "clusters[0].name: \"my backend\" (expected: a non-empty name of letters, digits, '_', '.' and '-')");
        ClusterSpec noName = new ClusterSpec(null, null, null, List.of(EndpointSpec.of("a:1")), null, null);
        assertThat(clusterErrors(noName)).hasSize(1);
        assertThat(clusterErrors(CLUSTER, CLUSTER))
                .containsExactly("clusters[1].name: \"backend\" (expected: a name not already used by clusters[0])");
        assertThat(clusterErrors(ClusterSpec.of("api-v1.internal_2", List.of(EndpointSpec.of("a:1"))))).isEmpty();
    }

    @Test
    void requiresAKnownLbPolicyAndListsThem() {
        assertThat(clusterErrors(cluster("fastest", null, null, null, EndpointSpec.of("a:1")))).containsExactly(
                "clusters[0].lb_policy: \"fastest\" (expected: one of round_robin, least_request, random, maglev)");
        assertThat(clusterErrors(cluster("random", null, null, null, EndpointSpec.of("a:1")))).isEmpty();
        assertThat(clusterErrors(cluster("maglev", null, null, null, EndpointSpec.of("a:1")))).isEmpty();
    }

    @Test
    void boundsConnectTimeout() {
        assertThat(clusterErrors(cluster(null, -5L, null, null, EndpointSpec.of("a:1"))))
                .containsExactly("clusters[0].connect_timeout_ms: -5 (expected: > 0 and <= 600000)");
        assertThat(clusterErrors(cluster(null, 600_001L, null, null, EndpointSpec.of("a:1")))).hasSize(1);
        assertThat(clusterErrors(cluster(null, 600_000L, null, null, EndpointSpec.of("a:1")))).isEmpty();
    }

    @Test
    void requiresAtLeastOneEndpoint() {
        assertThat(clusterErrors(cluster(null, null, null, null)))
                .containsExactly("clusters[0].endpoints: [] (expected: at least one endpoint)");
    }

    @Test
    void requiresEndpointAddressWithNonZeroPort() {
        assertThat(clusterErrors(cluster(null, null, null, null, EndpointSpec.of("127.0.0.1:0"))))
                .containsExactly("clusters[0].endpoints[0].address: \"127.0.0.1:0\" (expected: a port 1..65535)");
        assertThat(clusterErrors(cluster(null, null, null, null, EndpointSpec.of("nope")))).hasSize(1);
        assertThat(clusterErrors(cluster(null, null, null, null,
                EndpointSpec.of("my_service:80"), EndpointSpec.of("[2001:db8::1]:80")))).isEmpty();
    }

    @Test
    void boundsEndpointWeight() {
        assertThat(clusterErrors(cluster(null, null, null, null,
                new EndpointSpec("a:1", 0), new EndpointSpec("a:2", 1001), new EndpointSpec("a:3", 1000))))
                .containsExactly("clusters[0].endpoints[0].weight: 0 (expected: > 0 and <= 1000)",
                        "clusters[0].endpoints[1].weight: 1001 (expected: > 0 and <= 1000)");
    }

    @Test
    void rejectsDuplicateEndpointAddressWithinACluster() {
        assertThat(clusterErrors(cluster(null, null, null, null, EndpointSpec.of("a:1"), EndpointSpec.of("A:1"))))
                .containsExactly("clusters[0].endpoints[1].address: \"A:1\" "
                        + "(expected: an address not already used by endpoints[0] of this cluster)");
    }

    @Test
    void requiresPositivePoolSettings() {
        assertThat(clusterErrors(cluster(null, null, 0, 0L, EndpointSpec.of("a:1")))).containsExactly(
                "clusters[0].max_connections_per_endpoint: 0 (expected: >= 1)",
                "clusters[0].pool_idle_timeout_ms: 0 (expected: > 0)");
    }

    @Test
    void requiresExactlyOneOfPrefixOrPath() {
        assertThat(routeErrors(route(null, null, "/a", "/b", "backend", null)))
                .containsExactly("routes[0]: prefix \"/a\" and path \"/b\" (expected: exactly one of prefix or path)");
        assertThat(routeErrors(route(null, null, null, null, "backend", null)))
                .containsExactly("routes[0]: neither prefix nor path (expected: exactly one of prefix or path)");
    }

    @Test
    void requiresPrefixAndPathToStartWithSlashAndBeMatchable() {
        assertThat(routeErrors(route(null, null, "api", null, "backend", null)))
                .containsExactly("routes[0].prefix: \"api\" (expected: a path starting with '/')");
        assertThat(routeErrors(route(null, null, null, "/a?b", "backend", null))).containsExactly(
                "routes[0].path: \"/a?b\" (expected: visible ASCII without '?' or '#' (percent-encode other bytes))");
        assertThat(routeErrors(route(null, null, null, "/a b", "backend", null))).hasSize(1);
    }

    @Test
    void requiresRouteHostToBeAHostnameOrWildcardWithoutPort() {
        assertThat(routeErrors(route(null, "example.com:80", "/", null, "backend", null))).containsExactly(
                "routes[0].host: \"example.com:80\" (expected: a hostname without port (letters, digits, '-' and '.'), "
                        + "optionally starting with '*.')");
        assertThat(routeErrors(route(null, "*", "/", null, "backend", null))).hasSize(1);
        assertThat(routeErrors(route(null, "a.*.com", "/", null, "backend", null))).hasSize(1);
        assertThat(routeErrors(route(null, "", "/", null, "backend", null))).hasSize(1);
        assertThat(routeErrors(route(null, "Example.COM", "/", null, "backend", null),
                route(null, "*.example.com", "/", null, "backend", null))).isEmpty();
    }

    @Test
    void requiresRouteClusterToExist() {
        assertThat(routeErrors(RouteSpec.prefix("/", "nope")))
                .containsExactly("routes[0].cluster: \"nope\" (expected: the name of a defined cluster (backend))");
        assertThat(routeErrors(RouteSpec.prefix("/", null)))
                .containsExactly("routes[0].cluster: missing (expected: the name of a defined cluster (backend))");
    }

    @Test
    void requiresNonNegativeRouteTimeout() {
        assertThat(routeErrors(route(null, null, "/", null, "backend", -1L)))
                .containsExactly("routes[0].timeout_ms: -1 (expected: >= 0 (0 means no timeout))");
        assertThat(routeErrors(route(null, null, "/", null, "backend", 0L))).isEmpty();
    }

    @Test
    void rejectsTwoRoutesWithTheSameHostAndMatch() {
        assertThat(routeErrors(RouteSpec.prefix("/api", "backend"), RouteSpec.prefix("/api", "backend")))
                .containsExactly("routes[1].prefix: \"/api\" (expected: a match not already used by routes[0] for the same host)");
        // Host comparison is case-insensitive, as matching is.
        assertThat(routeErrors(route(null, "A.com", null, "/x", "backend", null),
                route(null, "a.com", null, "/x", "backend", null))).hasSize(1);
        // Same text as prefix and as path, or for different hosts, are different matches.
        assertThat(routeErrors(RouteSpec.prefix("/api", "backend"), route(null, null, null, "/api", "backend", null),
                route(null, "a.com", "/api", null, "backend", null))).isEmpty();
    }

    @Test
    void requiresUniqueNonBlankRouteNames() {
        assertThat(routeErrors(route("r", null, "/a", null, "backend", null), route("r", null, "/b", null, "backend", null)))
                .containsExactly("routes[1].name: \"r\" (expected: a name not already used by routes[0])");
        assertThat(routeErrors(route("", null, "/a", null, "backend", null))).hasSize(1);
    }

    @Test
    void reportsEveryErrorNotJustTheFirst() {
        GatewaySnapshot s = snapshot(
                List.of(ListenerSpec.of("", "nope")),
                List.of(new ClusterSpec("b", "x", 0L, List.of(new EndpointSpec("a:0", 0)), 0, 0L)),
                List.of(new RouteSpec(null, null, "x", null, "c", -1L)));
        assertThat(SnapshotValidator.validate(s)).extracting(ConfigError::field).containsExactly(
                "listeners[0].name", "listeners[0].address",
                "clusters[0].lb_policy", "clusters[0].connect_timeout_ms", "clusters[0].endpoints[0].address",
                "clusters[0].endpoints[0].weight", "clusters[0].max_connections_per_endpoint",
                "clusters[0].pool_idle_timeout_ms",
                "routes[0].prefix", "routes[0].cluster", "routes[0].timeout_ms");
        assertThatThrownBy(() -> SnapshotValidator.check(s))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors()).hasSize(11))
                .hasMessageStartingWith("invalid configuration: listeners[0].name: \"\" (expected: a non-empty name); ");
    }

    @Test
    void quotesAndBoundsValuesInMessages() {
        String longName = "x".repeat(200) + "\n";
        assertThat(listenerErrors(ListenerSpec.of("a", longName)).get(0))
                .startsWith("listeners[0].address: \"" + "x".repeat(80) + "…\"");
        assertThat(SnapshotValidator.show("a\"b\n")).isEqualTo("\"a\\\"b\\u000a\"");
    }

    private static ListenerSpec limits(Long headMs, Long minRate, Long windowMs, Integer maxConns, Integer maxPerIp,
            ListenerSpec.RateLimit rate) {
        return new ListenerSpec("http", "0.0.0.0:8080", List.of(), null, null, null, null, headMs, minRate, windowMs,
                maxConns, maxPerIp, rate);
    }

    @Test
    void defaultsAbuseLimitsWhenLeftOut() {
        ListenerSpec l = ListenerSpec.of("http", "0.0.0.0:8080");
        assertThat(l.requestHeadTimeoutMs()).isEqualTo(ListenerSpec.DEFAULT_REQUEST_HEAD_TIMEOUT_MS).isEqualTo(10_000);
        assertThat(l.minBodyRateBytesPerS()).isEqualTo(1024);
        assertThat(l.bodyRateWindowMs()).isEqualTo(10_000);
        assertThat(l.maxConnections()).isEqualTo(100_000);
        assertThat(l.maxConnectionsPerIp()).isEqualTo(1024);
        assertThat(l.rateLimit()).isNull();
        assertThat(ROUTE.rateLimit()).isNull();
        assertThat(ROUTE.maxBodyBytes()).isNull();
        assertThat(new ListenerSpec.RateLimit(2.5, null).burst()).as("one second's worth").isEqualTo(3);
    }

    @Test
    void rejectsNonPositiveListenerLimitsNamingEachField() {
        assertThat(listenerErrors(limits(0L, -1L, 0L, 0, 0, null))).containsExactly(
                "listeners[0].request_head_timeout_ms: 0 (expected: > 0)",
                "listeners[0].min_body_rate_bytes_per_s: -1 (expected: >= 0 (0 turns the check off))",
                "listeners[0].body_rate_window_ms: 0 (expected: > 0)",
                "listeners[0].max_connections: 0 (expected: > 0)",
                "listeners[0].max_connections_per_ip: 0 (expected: > 0)");
        assertThat(listenerErrors(limits(null, 0L, null, null, null, null))).isEmpty();
    }

    @Test
    void rejectsUnusableRateLimitsOnListenersAndRoutes() {
        assertThat(listenerErrors(limits(null, null, null, null, null, new ListenerSpec.RateLimit(0.0, 0))))
                .containsExactly(
                        "listeners[0].rate_limit.requests_per_second: 0.0 (expected: > 0 and <= 1000000)",
                        "listeners[0].rate_limit.burst: 0 (expected: > 0 and <= 1000000)");
        assertThat(listenerErrors(limits(null, null, null, null, null, new ListenerSpec.RateLimit(null, 5))))
                .containsExactly("listeners[0].rate_limit.requests_per_second: missing (expected: > 0 and <= 1000000)");
        RouteSpec r = new RouteSpec(null, null, "/", null, "backend", null, new ListenerSpec.RateLimit(2e6, 1), 0L, null, null, null);
        assertThat(routeErrors(r)).containsExactly(
                "routes[0].rate_limit.requests_per_second: 2000000.0 (expected: > 0 and <= 1000000)",
                "routes[0].max_body_bytes: 0 (expected: > 0 (leave it out for no limit))");
    }

    @Test
    void readsLimitKeysFromTomlInSnakeCase() {
        GatewaySnapshot s = ConfigLoader.parseAndCheck("""
                [[listeners]]
                name = "http"
                address = "0.0.0.0:8080"
                request_head_timeout_ms = 5000
                min_body_rate_bytes_per_s = 512
                body_rate_window_ms = 20000
                max_connections = 50000
                max_connections_per_ip = 256
                rate_limit = { requests_per_second = 50, burst = 100 }

                [[clusters]]
                name = "backend"
                endpoints = [{ address = "127.0.0.1:9001" }]

                [[routes]]
                prefix = "/login"
                cluster = "backend"
                rate_limit = { requests_per_second = 0.5 }
                max_body_bytes = 65536
                """, ConfigFormat.TOML);
        assertThat(s.listeners().get(0)).isEqualTo(new ListenerSpec("http", "0.0.0.0:8080", List.of(), null, null,
                null, null, 5000L, 512L, 20000L, 50000, 256, new ListenerSpec.RateLimit(50.0, 100)));
        assertThat(s.routes().get(0).rateLimit()).isEqualTo(new ListenerSpec.RateLimit(0.5, 1));
        assertThat(s.routes().get(0).maxBodyBytes()).isEqualTo(65536L);
    }

    // ---------------------------------------------------------------- traffic management

    private static ClusterSpec resilient(Integer panic, CircuitBreakersSpec cb, OutlierDetectionSpec od, HealthCheckSpec hc) {
        return new ClusterSpec("backend", null, null, List.of(EndpointSpec.of("127.0.0.1:9001")), null, null,
                panic, cb, od, hc);
    }

    private static HealthCheckSpec check(String type, Long interval, Long timeout, Long jitter, Integer healthy,
            Integer unhealthy, String method, String path, String host, List<String> statuses) {
        return new HealthCheckSpec(type, interval, timeout, jitter, healthy, unhealthy, method, path, host, statuses);
    }

    private static RouteSpec retrying(RetryPolicySpec policy, Long connectMs, Long idleMs) {
        return new RouteSpec(null, null, "/", null, "backend", null, null, null, policy, connectMs, idleMs);
    }

    @Test
    void acceptsEveryTrafficSettingAtItsDefaultAndAtSaneValues() {
        assertThat(clusterErrors(resilient(null, null, null, null))).isEmpty();
        assertThat(clusterErrors(resilient(0, new CircuitBreakersSpec(1, 0, 1, 0, 0, 0),
                new OutlierDetectionSpec(false, 0, 0, 1L, 1L, 1L, 0), HealthCheckSpec.tcp()))).isEmpty();
        assertThat(clusterErrors(resilient(100, null, null, check("http", 50L, 10L, 0L, 1, 1, "HEAD", "/h",
                "api.internal:8080", List.of("200", "300-304"))))).isEmpty();
        assertThat(routeErrors(retrying(new RetryPolicySpec(List.of("connect-failure", "reset", "5xx", "gateway-error",
                "retriable-status-codes"), 10, 0L, 1L, 1L, List.of(100, 599), true), 1L, 1L))).isEmpty();
    }

    @Test
    void healthCheckErrorsNameTheNestedField() {
        assertThat(clusterErrors(resilient(null, null, null, check("udp", -1L, 0L, -1L, 0, 0, null, null, null, null))))
                .containsExactly(
                        "clusters[0].health_check.type: \"udp\" (expected: one of tcp, http)",
                        "clusters[0].health_check.interval_ms: -1 (expected: > 0)",
                        "clusters[0].health_check.timeout_ms: 0 (expected: > 0)",
                        "clusters[0].health_check.jitter_ms: -1 (expected: >= 0 and <= 86400000)",
                        "clusters[0].health_check.healthy_threshold: 0 (expected: >= 1)",
                        "clusters[0].health_check.unhealthy_threshold: 0 (expected: >= 1)");
    }

    @Test
    void httpHealthCheckValidatesRequestAndStatuses() {
        assertThat(clusterErrors(resilient(null, null, null, check("http", null, null, null, null, null, "get",
                "health", "a\r\nX: y", List.of("200-199", "99", "abc")))))
                .containsExactly(
                        "clusters[0].health_check.method: \"get\" (expected: an upper-case HTTP method such as GET or HEAD)",
                        "clusters[0].health_check.path: \"health\" (expected: a path starting with '/')",
                        "clusters[0].health_check.host: \"a\\u000d\\u000aX: y\" (expected: a host[:port] of visible ASCII)",
                        "clusters[0].health_check.expected_statuses[0]: \"200-199\" (expected: a status 100..599 or a range such as 200-399)",
                        "clusters[0].health_check.expected_statuses[1]: \"99\" (expected: a status 100..599 or a range such as 200-399)",
                        "clusters[0].health_check.expected_statuses[2]: \"abc\" (expected: a status 100..599 or a range such as 200-399)");
        assertThat(clusterErrors(resilient(null, null, null, check("http", null, null, null, null, null, null, null,
                null, List.of())))).containsExactly("clusters[0].health_check.expected_statuses: [] (expected: at least one status or range)");
    }

    @Test
    void tcpHealthCheckRefusesHttpSettings() {
        assertThat(clusterErrors(resilient(null, null, null, check("tcp", null, null, null, null, null, null, "/h",
                null, null)))).containsExactly("clusters[0].health_check.path: \"/h\" (expected: no value unless type = \"http\")");
    }

    @Test
    void circuitBreakerAndPanicErrorsNameTheField() {
        assertThat(clusterErrors(resilient(101, new CircuitBreakersSpec(0, -1, 0, -1, 101, -1), null, null)))
                .containsExactly(
                        "clusters[0].panic_threshold_percent: 101 (expected: >= 0 and <= 100)",
                        "clusters[0].circuit_breakers.max_connections: 0 (expected: >= 1)",
                        "clusters[0].circuit_breakers.max_pending_requests: -1 (expected: >= 0)",
                        "clusters[0].circuit_breakers.max_requests: 0 (expected: >= 1)",
                        "clusters[0].circuit_breakers.max_retries: -1 (expected: >= 0)",
                        "clusters[0].circuit_breakers.retry_budget_percent: 101 (expected: >= 0 and <= 100)",
                        "clusters[0].circuit_breakers.min_retry_concurrency: -1 (expected: >= 0)");
    }

    @Test
    void outlierDetectionErrorsNameTheField() {
        assertThat(clusterErrors(resilient(null, null, new OutlierDetectionSpec(true, -1, -2, 0L, 1000L, 999L, 200), null)))
                .containsExactly(
                        "clusters[0].outlier_detection.consecutive_5xx: -1 (expected: >= 0)",
                        "clusters[0].outlier_detection.consecutive_gateway_failure: -2 (expected: >= 0)",
                        "clusters[0].outlier_detection.interval_ms: 0 (expected: > 0)",
                        "clusters[0].outlier_detection.max_ejection_time_ms: 999 (expected: >= base_ejection_time_ms (1000))",
                        "clusters[0].outlier_detection.max_ejection_percent: 200 (expected: >= 0 and <= 100)");
    }

    @Test
    void retryPolicyAndRouteTimeoutErrorsNameTheField() {
        assertThat(routeErrors(retrying(new RetryPolicySpec(List.of("5xx", "always"), 11, -1L, 0L, 70_000L,
                List.of(42), false), 0L, 0L)))
                .containsExactly(
                        "routes[0].connect_timeout_ms: 0 (expected: > 0 and <= 600000)",
                        "routes[0].idle_timeout_ms: 0 (expected: > 0)",
                        "routes[0].retry_policy.retry_on[1]: \"always\" (expected: one of connect-failure, reset, 5xx, "
                                + "gateway-error, retriable-status-codes)",
                        "routes[0].retry_policy.num_retries: 11 (expected: >= 0 and <= 10)",
                        "routes[0].retry_policy.per_try_timeout_ms: -1 (expected: >= 0 (0 means none))",
                        "routes[0].retry_policy.backoff_base_ms: 0 (expected: > 0 and <= 60000)",
                        "routes[0].retry_policy.backoff_max_ms: 70000 (expected: > 0 and <= 60000)",
                        "routes[0].retry_policy.retriable_status_codes[0]: 42 (expected: >= 100 and <= 599)",
                        "routes[0].retry_policy.retriable_status_codes: [42] (expected: no codes unless retry_on has "
                                + "retriable-status-codes)");
        assertThat(routeErrors(retrying(new RetryPolicySpec(List.of("retriable-status-codes"), null, null, 100L, 50L,
                null, null), null, null)))
                .containsExactly(
                        "routes[0].retry_policy.backoff_max_ms: 50 (expected: >= backoff_base_ms (100))",
                        "routes[0].retry_policy.retriable_status_codes: [] (expected: at least one status when retry_on "
                                + "has retriable-status-codes)");
    }

    @Test
    void rejectsUnknownHashOnForm() {
        ClusterSpec bad = new ClusterSpec("backend", "maglev", null, List.of(EndpointSpec.of("127.0.0.1:9001")),
                null, null, null, null, null, null, "header:");
        GatewaySnapshot s = new GatewaySnapshot(List.of(ListenerSpec.of("http", "127.0.0.1:8080")), List.of(bad),
                List.of(RouteSpec.prefix("/", "backend")));
        assertThat(SnapshotValidator.validate(s)).extracting(ConfigError::message)
                .containsExactly("clusters[0].hash_on: \"header:\" (expected: client_ip, path, header:<name> or cookie:<name>)");
    }
}
