package dev.meridian.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String HEAD = """
            [[listeners]]
            name = "http"
            address = "0.0.0.0:8080"

            [[clusters]]
            name = "backend"
            endpoints = [{ address = "127.0.0.1:9001" }]
            """;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    }

    private static List<String> errors(String text, ConfigFormat format) {
        try {
            ConfigLoader.parse(text, format);
        } catch (ConfigValidationException e) {
            return e.errors().stream().map(ConfigError::message).toList();
        }
        throw new AssertionError("parsed without error: " + text);
    }

    @Test
    void loadsTheReferenceExampleUnchanged() throws Exception {
        GatewaySnapshot s = ConfigLoader.load(resource("reference.toml"));

        assertThat(s.listeners()).containsExactly(new ListenerSpec("http", "0.0.0.0:8080", List.of(), null, null, null, null));
        assertThat(s.clusters()).containsExactly(new ClusterSpec("backend", "round_robin", 5000L,
                List.of(new EndpointSpec("127.0.0.1:9001", 1), new EndpointSpec("127.0.0.1:9002", 1)), null, null));
        assertThat(s.routes()).containsExactly(RouteSpec.prefix("/", "backend"));
    }

    @Test
    void yamlReferenceEqualsTomlReference() throws Exception {
        assertThat(ConfigLoader.load(resource("reference.yaml"))).isEqualTo(ConfigLoader.load(resource("reference.toml")));
    }

    @Test
    void jsonMapsTheSameKeys() {
        String json = """
                {"listeners": [{"name": "http", "address": "0.0.0.0:8080", "filter_chain": [], "max_header_count": 50}],
                 "clusters": [{"name": "backend", "lb_policy": "maglev", "pool_idle_timeout_ms": 3000,
                               "endpoints": [{"address": "127.0.0.1:9001", "weight": 3}]}],
                 "routes": [{"name": "r", "host": "example.com", "path": "/x", "cluster": "backend", "timeout_ms": 0}]}
                """;
        GatewaySnapshot s = ConfigLoader.parse(json, ConfigFormat.JSON);
        assertThat(s.listeners().get(0).maxHeaderCount()).isEqualTo(50);
        assertThat(s.clusters().get(0).lbPolicy()).isEqualTo("maglev");
        assertThat(s.clusters().get(0).poolIdleTimeoutMs()).isEqualTo(3000L);
        assertThat(s.clusters().get(0).endpoints().get(0).weight()).isEqualTo(3);
        assertThat(s.routes()).containsExactly(new RouteSpec("r", "example.com", null, "/x", "backend", 0L));
    }

    @Test
    void choosesFormatByExtension() {
        assertThat(ConfigFormat.ofFileName("a.toml")).isEqualTo(ConfigFormat.TOML);
        assertThat(ConfigFormat.ofFileName("a.YML")).isEqualTo(ConfigFormat.YAML);
        assertThat(ConfigFormat.ofFileName("a.yaml")).isEqualTo(ConfigFormat.YAML);
        assertThat(ConfigFormat.ofFileName("a.json")).isEqualTo(ConfigFormat.JSON);
    }

    @Test
    void refusesUnknownExtensionNamingTheFile(@TempDir Path dir) throws Exception {
        Path ini = Files.writeString(dir.resolve("gateway.ini"), "x=1");
        assertThatThrownBy(() -> ConfigLoader.load(ini))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessage("invalid configuration: file: \"gateway.ini\" (expected: a name ending in .toml, .yaml, .yml or .json)");
    }

    @Test
    void reportsAMissingFileByName(@TempDir Path dir) {
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .hasMessage("invalid configuration: file: \"" + missing + "\" (expected: an existing file)");
    }

    @Test
    void unknownKeyNamesItsPathTheKnownKeysAndTheLikelyTypo() {
        assertThat(errors(HEAD + "conect_timeout_ms = 5\n", ConfigFormat.TOML)).containsExactly(
                "clusters[0].conect_timeout_ms: unknown key (expected: a known key (circuit_breakers, connect_timeout_ms, "
                        + "endpoints, hash_on, health_check, lb_policy, max_connections_per_endpoint, name, outlier_detection, "
                        + "panic_threshold_percent, pool_idle_timeout_ms); "
                        + "did you mean connect_timeout_ms?)");
        assertThat(errors("{\"admin\": {}}", ConfigFormat.JSON)).containsExactly(
                "admin: unknown key at line 1, column 14 (expected: a known key (clusters, listeners, routes))");
    }

    @Test
    void typeMismatchShowsValueAndExpectedType() {
        assertThat(errors(HEAD + "connect_timeout_ms = \"abc\"\n", ConfigFormat.TOML))
                .containsExactly("clusters[0].connect_timeout_ms: \"abc\" (expected: an integer)");
        assertThat(errors("""
                clusters:
                  - name: backend
                    connect_timeout_ms: abc
                """, ConfigFormat.YAML))
                .containsExactly("clusters[0].connect_timeout_ms: \"abc\" at line 3, column 25 (expected: an integer)");
    }

    @Test
    void refusesQuietCoercions() {
        assertThat(errors(HEAD + "connect_timeout_ms = \"5000\"\n", ConfigFormat.TOML))
                .containsExactly("clusters[0].connect_timeout_ms: \"5000\" (expected: an integer)");
        assertThat(errors(HEAD + "connect_timeout_ms = 5000.7\n", ConfigFormat.TOML))
                .containsExactly("clusters[0].connect_timeout_ms: 5000.7 (expected: an integer)");
        assertThat(errors("{\"listeners\": [{\"name\": 42}]}", ConfigFormat.JSON))
                .containsExactly("listeners[0].name: 42 at line 1, column 25 (expected: a string)");
        assertThat(errors(HEAD + "endpoints = \"x\"\n", ConfigFormat.TOML)).hasSize(1);
    }

    @Test
    void reportsNumbersOutOfRangeForTheirField() {
        assertThat(errors(HEAD + "max_connections_per_endpoint = 99999999999\n", ConfigFormat.TOML))
                .containsExactly("clusters[0].max_connections_per_endpoint: 99999999999 "
                        + "(expected: an integer within -2147483648..2147483647)");
    }

    @Test
    void reportsNullListEntriesAtTheirIndex() {
        assertThat(errors("listeners:\n  - ~\n", ConfigFormat.YAML))
                .containsExactly("listeners[0]: null at line 2, column 5 (expected: a value)");
    }

    @Test
    void reportsDuplicateKeys() {
        assertThat(errors("listeners:\n  - name: a\n    name: b\n", ConfigFormat.YAML))
                .containsExactly("listeners[0].name: a repeated key at line 3, column 9 (expected: each key once)");
        assertThat(errors(HEAD + "name = \"again\"\n", ConfigFormat.TOML)).hasSize(1);
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        assertThat(errors("[[listeners]\n", ConfigFormat.TOML)).singleElement().asString()
                .startsWith("(document): invalid TOML syntax at line ");
        assertThat(errors("{\"listeners\": [}", ConfigFormat.JSON)).singleElement().asString()
                .contains("invalid JSON syntax at line 1, column");
    }

    @Test
    void emptyDocumentIsAnError() {
        assertThat(errors("", ConfigFormat.TOML)).containsExactly(
                "(document): an empty document (expected: a table with listeners, clusters and routes)");
        assertThat(errors("# nothing\n---\n", ConfigFormat.YAML)).containsExactly(
                "(document): an empty document (expected: a mapping with listeners, clusters and routes)");
    }

    @Test
    void loadValidatesAfterParsing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("g.toml"), HEAD + "connect_timeout_ms = -5\n");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                        .extracting(ConfigError::message)
                        .containsExactly("clusters[0].connect_timeout_ms: -5 (expected: > 0 and <= 600000)"));
    }

    // ---------------------------------------------------------------- traffic management

    @Test
    void loadsEveryTrafficManagementKeyFromToml() throws Exception {
        GatewaySnapshot s = ConfigLoader.load(resource("traffic.toml"));
        ClusterSpec api = s.clusters().get(0);
        assertThat(api.lbPolicy()).isEqualTo("least_request");
        assertThat(api.panicThresholdPercent()).isEqualTo(30);
        assertThat(api.circuitBreakers()).isEqualTo(new CircuitBreakersSpec(512, 256, 2048, 5, 25, 4));
        assertThat(api.outlierDetection()).isEqualTo(new OutlierDetectionSpec(true, 7, 3, 500L, 10_000L, 120_000L, 50));
        assertThat(api.healthCheck()).isEqualTo(new HealthCheckSpec("http", 2000L, 300L, 100L, 2, 4, "HEAD",
                "/healthz", "api.internal", List.of("200-299", "304")));
        ClusterSpec stat = s.clusters().get(1);
        assertThat(stat.lbPolicy()).isEqualTo("random");
        assertThat(stat.healthCheck()).isEqualTo(HealthCheckSpec.tcp());
        assertThat(stat.circuitBreakers()).isEqualTo(CircuitBreakersSpec.DEFAULTS);
        assertThat(stat.outlierDetection()).isEqualTo(OutlierDetectionSpec.DEFAULTS);
        RouteSpec r = s.routes().get(0);
        assertThat(r.connectTimeoutMs()).isEqualTo(500L);
        assertThat(r.idleTimeoutMs()).isEqualTo(30_000L);
        assertThat(r.timeoutMs()).isEqualTo(9000L);
        assertThat(r.retryPolicy()).isEqualTo(new RetryPolicySpec(List.of("5xx", "retriable-status-codes"), 2, 3000L,
                50L, 500L, List.of(409, 429), true));
        assertThat(s.routes().get(1).retryPolicy()).isNull();
    }

    @Test
    void yamlTrafficExampleEqualsTomlTrafficExample() throws Exception {
        assertThat(ConfigLoader.load(resource("traffic.yaml"))).isEqualTo(ConfigLoader.load(resource("traffic.toml")));
    }

    @Test
    void unknownKeyInANestedTableNamesItsFullPath() {
        String text = HEAD + "\n[clusters.outlier_detection]\nconsecutive_5xxx = 3\n";
        assertThat(errors(text, ConfigFormat.TOML).get(0))
                .startsWith("clusters[0].outlier_detection.consecutive_5xxx: unknown key")
                .contains("did you mean consecutive_5xx?");
    }

    @Test
    void wrongTypeInARetryPolicyNamesTheField() {
        String text = HEAD + """

                [[routes]]
                prefix = "/"
                cluster = "backend"

                [routes.retry_policy]
                num_retries = "two"
                """;
        assertThat(errors(text, ConfigFormat.TOML).get(0)).startsWith("routes[0].retry_policy.num_retries");
    }
}
