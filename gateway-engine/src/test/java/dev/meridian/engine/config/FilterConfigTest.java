package dev.meridian.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.runtime.SnapshotCompiler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code filter_chain} and route {@code filters} as config files spell them, and their validation
 * messages: the engine's complete check ({@link SnapshotCompiler#validate}), since config alone
 * knows no filters.
 */
class FilterConfigTest {

    private static final String TOML = """
            [[listeners]]
            name = "http"
            address = "0.0.0.0:8080"
            filter_chain = [
              { name = "request_headers", set = { "X-Env" = "prod" }, remove = ["X-Debug"] },
              { name = "response_headers", add = { "X-Frame-Options" = "DENY" } },
            ]

            [[clusters]]
            name = "backend"
            endpoints = [ { address = "127.0.0.1:9001" } ]

            [[routes]]
            prefix = "/api"
            cluster = "backend"
            filters = [ { name = "request_headers", set = { "Host" = "api.internal" } } ]
            """;

    private static List<String> errors(String text, ConfigFormat format) {
        return SnapshotCompiler.validate(ConfigLoader.parse(text, format)).stream().map(ConfigError::message).toList();
    }

    @Test
    void readsFilterSpecsFromToml() {
        GatewaySnapshot s = ConfigLoader.parseAndCheck(TOML, ConfigFormat.TOML);
        assertThat(s.listeners().get(0).filterChain()).containsExactly(
                new FilterSpec("request_headers", Map.of("set", Map.of("X-Env", "prod"), "remove", List.of("X-Debug"))),
                new FilterSpec("response_headers", Map.of("add", Map.of("X-Frame-Options", "DENY"))));
        assertThat(s.routes().get(0).filters()).containsExactly(
                new FilterSpec("request_headers", Map.of("set", Map.of("Host", "api.internal"))));
    }

    @Test
    void readsTheSameSpecsFromYamlAndJson() {
        GatewaySnapshot toml = ConfigLoader.parseAndCheck(TOML, ConfigFormat.TOML);
        GatewaySnapshot yaml = ConfigLoader.parseAndCheck("""
                listeners:
                  - name: http
                    address: 0.0.0.0:8080
                    filter_chain:
                      - name: request_headers
                        set: { X-Env: prod }
                        remove: [X-Debug]
                      - name: response_headers
                        add: { X-Frame-Options: DENY }
                clusters:
                  - name: backend
                    endpoints: [ { address: "127.0.0.1:9001" } ]
                routes:
                  - prefix: /api
                    cluster: backend
                    filters: [ { name: request_headers, set: { Host: api.internal } } ]
                """, ConfigFormat.YAML);
        GatewaySnapshot json = ConfigLoader.parseAndCheck("""
                {"listeners": [{"name": "http", "address": "0.0.0.0:8080", "filter_chain": [
                   {"name": "request_headers", "set": {"X-Env": "prod"}, "remove": ["X-Debug"]},
                   {"name": "response_headers", "add": {"X-Frame-Options": "DENY"}}]}],
                 "clusters": [{"name": "backend", "endpoints": [{"address": "127.0.0.1:9001"}]}],
                 "routes": [{"prefix": "/api", "cluster": "backend",
                             "filters": [{"name": "request_headers", "set": {"Host": "api.internal"}}]}]}
                """, ConfigFormat.JSON);
        assertThat(yaml).isEqualTo(toml);
        assertThat(json).isEqualTo(toml);
    }

    @Test
    void emptyFilterChainOfTheReferenceFormatStillLoads() {
        GatewaySnapshot s = ConfigLoader.parseAndCheck("""
                [[listeners]]
                name = "http"
                address = "0.0.0.0:8080"
                filter_chain = []

                [[clusters]]
                name = "backend"
                endpoints = [ { address = "127.0.0.1:9001" } ]

                [[routes]]
                prefix = "/"
                cluster = "backend"
                """, ConfigFormat.TOML);
        assertThat(s.listeners().get(0).filterChain()).isEmpty();
        assertThat(s.routes().get(0).filters()).isEmpty();
    }

    @Test
    void namesTheFieldPathOfAnUnknownFilter() {
        assertThat(errors(TOML.replace("name = \"response_headers\"", "name = \"nope\""), ConfigFormat.TOML))
                .containsExactly("listeners[0].filter_chain[1].name: \"nope\" "
                        + "(expected: one of: direct_response, request_headers, response_headers)");
    }

    @Test
    void theConfigChecksLeaveFilterEntriesToTheEngine() {
        String unknown = TOML.replace("name = \"response_headers\"", "name = \"nope\"");
        assertThat(SnapshotValidator.validate(ConfigLoader.parse(unknown, ConfigFormat.TOML))).isEmpty();
        assertThat(ConfigLoader.parseAndCheck(unknown, ConfigFormat.TOML).listeners().get(0).filterChain())
                .extracting(FilterSpec::name).containsExactly("request_headers", "nope");
        assertThatThrownBy(() -> SnapshotCompiler.check(ConfigLoader.parse(unknown, ConfigFormat.TOML)))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                        .extracting(ConfigError::field).containsExactly("listeners[0].filter_chain[1].name"));
    }

    @Test
    void refusesHeaderInjectionInNamesAndValues() {
        String json = """
                {"listeners": [{"name": "http", "address": "0.0.0.0:8080", "filter_chain": [
                   {"name": "request_headers", "set": {"X-Env": "prod\\r\\nX-Admin: yes"}},
                   {"name": "response_headers", "set": {"X-A\\r\\nSet-Cookie": "x"}, "remove": ["X B"]},
                   {"name": "request_headers", "add": {"X-Nul": "a\\u0000b"}}]}],
                 "clusters": [{"name": "backend", "endpoints": [{"address": "127.0.0.1:9001"}]}],
                 "routes": [{"prefix": "/", "cluster": "backend"}]}
                """;
        assertThat(errors(json, ConfigFormat.JSON)).containsExactly(
                "listeners[0].filter_chain[0].set.X-Env: \"prod\\u000d\\u000aX-Admin: yes\" (expected: a field value: "
                        + "visible characters, spaces and tabs, not at either end; no CR, LF or NUL)",
                "listeners[0].filter_chain[1].set[\"X-A\\u000d\\u000aSet-Cookie\"]: \"X-A\\u000d\\u000aSet-Cookie\" "
                        + "(expected: a header name: an RFC 9110 token (letters, digits and !#$%&'*+-.^_`|~))",
                "listeners[0].filter_chain[1].remove[0]: \"X B\" "
                        + "(expected: a header name: an RFC 9110 token (letters, digits and !#$%&'*+-.^_`|~))",
                "listeners[0].filter_chain[2].add.X-Nul: \"a\\u0000b\" (expected: a field value: "
                        + "visible characters, spaces and tabs, not at either end; no CR, LF or NUL)");
    }

    @Test
    void refusesFramingAndHopByHopEditsNamingThem() {
        String toml = TOML.replace("set = { \"X-Env\" = \"prod\" }",
                "set = { \"Content-Length\" = \"0\", \"transfer-encoding\" = \"chunked\", \"X-Forwarded-For\" = \"1.2.3.4\" }")
                .replace("add = { \"X-Frame-Options\" = \"DENY\" }", "remove = [\"Connection\", \"Upgrade\"]");
        List<String> errors = errors(toml, ConfigFormat.TOML);
        assertThat(errors).hasSize(5);
        assertThat(errors.get(0)).startsWith("listeners[0].filter_chain[0].set.Content-Length: \"Content-Length\" "
                + "(expected: not Content-Length, Transfer-Encoding, Connection, Keep-Alive, Proxy-Connection, TE, "
                + "Trailer, Upgrade or X-Forwarded-For/-Proto/-Host (the proxy writes these))");
        assertThat(errors.get(1)).startsWith("listeners[0].filter_chain[0].set.transfer-encoding:");
        assertThat(errors.get(2)).startsWith("listeners[0].filter_chain[0].set.X-Forwarded-For:");
        assertThat(errors.get(3)).startsWith("listeners[0].filter_chain[1].remove[0]: \"Connection\" "
                + "(expected: not Content-Length, Transfer-Encoding, Connection, Keep-Alive, Proxy-Connection, TE, "
                + "Trailer or Upgrade (the proxy writes these))");
        assertThat(errors.get(4)).startsWith("listeners[0].filter_chain[1].remove[1]: \"Upgrade\"");
    }

    @Test
    void hostMayBeSetButNotAddedOrRemoved() {
        String toml = TOML.replace("set = { \"Host\" = \"api.internal\" }",
                "add = { \"Host\" = \"a\" }, remove = [\"host\"]");
        assertThat(errors(toml, ConfigFormat.TOML)).containsExactly(
                "routes[0].filters[0].add.Host: \"Host\" (expected: not Host (a request has exactly one; use set))",
                "routes[0].filters[0].remove[0]: \"host\" "
                        + "(expected: not Host (an HTTP/1.1 request needs one; set it instead))");
    }

    @Test
    void refusesUnknownKeysWrongTypesAndEmptyFilters() {
        String toml = TOML.replace("remove = [\"X-Debug\"]", "remove = \"X-Debug\", sett = { }")
                .replace("add = { \"X-Frame-Options\" = \"DENY\" }", "add = { \"X-Count\" = 5 }")
                .replace("filters = [ { name = \"request_headers\", set = { \"Host\" = \"api.internal\" } } ]",
                        "filters = [ { name = \"response_headers\" } ]");
        assertThat(errors(toml, ConfigFormat.TOML)).containsExactly(
                "listeners[0].filter_chain[0].sett: unknown key (expected: one of: add, remove, set)",
                "listeners[0].filter_chain[0].remove: \"X-Debug\" (expected: a list of header names)",
                "listeners[0].filter_chain[1].add.X-Count: \"5\" (expected: a string value)",
                "routes[0].filters[0]: no edits (expected: at least one of set, add or remove)");
    }

    @Test
    void aFilterEntryMustBeATable() {
        assertThatThrownBy(() -> ConfigLoader.parse(TOML.replace(
                "filters = [ { name = \"request_headers\", set = { \"Host\" = \"api.internal\" } } ]",
                "filters = [ \"request_headers\" ]"), ConfigFormat.TOML))
                .isInstanceOfSatisfying(ConfigValidationException.class, e ->
                        assertThat(e.errors().get(0).field()).isEqualTo("routes[0].filters[0]"));
    }
}
