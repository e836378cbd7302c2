package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.FilterSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.WithTestOrigin;
import dev.meridian.engine.testing.TestOrigin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Listener and route filters over real sockets: what the origin receives and what the client sees. */
class FilterIntegrationTest extends WithTestOrigin {

    static FilterSpec filter(String name, Map<String, Object> settings) {
        return new FilterSpec(name, settings);
    }

    static GatewaySnapshot snapshot(List<FilterSpec> listenerFilters, RouteSpec... routes) {
        ListenerSpec listener = new ListenerSpec("http", "127.0.0.1:0", listenerFilters, null, null, null, null);
        return new GatewaySnapshot(List.of(listener),
                List.of(ClusterSpec.of("backend", TestGateway.endpoints(origin))), List.of(routes));
    }

    static RouteSpec route(String prefix, List<FilterSpec> filters) {
        return new RouteSpec(null, null, prefix, null, "backend", null, null, null, null, null, null, filters);
    }

    @Test
    void requestHeaderSetAndRemoveReachTheOriginAsConfigured() throws Exception {
        GatewaySnapshot s = snapshot(List.of(filter("request_headers", Map.of(
                "set", Map.of("X-Env", "prod"), "add", Map.of("X-Team", "payments"), "remove", List.of("X-Debug")))),
                RouteSpec.prefix("/", "backend"));
        try (TestGateway gw = TestGateway.start(s)) {
            RawHttp.Response r = RawHttp.exchange(gw.port(), "GET /x HTTP/1.1\r\nHost: shop.example\r\n"
                    + "X-Env: dev\r\nx-env: staging\r\nX-Debug: 1\r\nX-Team: web\r\nX-Kept: yes\r\n\r\n");

            assertThat(r.status()).isEqualTo(200);
            TestOrigin.Received got = origin.received.poll();
            assertThat(got.headers().get("x-env")).containsExactly("prod");
            assertThat(got.headers().get("x-team")).containsExactly("web", "payments");
            assertThat(got.header("x-debug")).isNull();
            assertThat(got.header("x-kept")).isEqualTo("yes");
            assertThat(got.header("host")).isEqualTo("shop.example");
            assertThat(got.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void responseHeaderEditsReachTheClientWithFramingIntact() throws Exception {
        GatewaySnapshot s = snapshot(List.of(filter("response_headers", Map.of(
                "set", Map.of("X-Frame-Options", "DENY"), "remove", List.of("X-Origin")))),
                RouteSpec.prefix("/", "backend"));
        try (TestGateway gw = TestGateway.start(s); RawHttp c = new RawHttp(gw.port())) {
            for (int i = 0; i < 2; i++) { // the same connection serves both: framing and keep-alive intact
                RawHttp.Response r = c.send("GET /page HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("x-frame-options")).isEqualTo("DENY");
                assertThat(r.header("x-origin")).isNull();
                assertThat(r.bodyText()).startsWith("o1 GET /page");
            }
        }
    }

    @Test
    void aRouteFilterAppliesOnlyOnItsRouteAfterTheListenersAndCanSetHost() throws Exception {
        GatewaySnapshot s = snapshot(
                List.of(filter("request_headers", Map.of("set", Map.of("X-Stage", "listener")))),
                route("/api", List.of(filter("request_headers", Map.of(
                        "set", Map.of("X-Stage", "route", "Host", "api.internal"))))),
                route("/", List.of()));
        try (TestGateway gw = TestGateway.start(s)) {
            RawHttp.exchange(gw.port(), "GET /api/items HTTP/1.1\r\nHost: shop.example\r\n\r\n");
            TestOrigin.Received api = origin.received.poll();
            assertThat(api.headers().get("x-stage")).containsExactly("route");
            assertThat(api.headers().get("host")).containsExactly("api.internal");
            assertThat(api.header("x-forwarded-host")).as("what the client sent").isEqualTo("shop.example");

            RawHttp.exchange(gw.port(), "GET /other HTTP/1.1\r\nHost: shop.example\r\n\r\n");
            TestOrigin.Received other = origin.received.poll();
            assertThat(other.headers().get("x-stage")).containsExactly("listener");
            assertThat(other.header("host")).isEqualTo("shop.example");
        }
    }

    @Test
    void aRespondingFilterAnswersLocallyAndNothingReachesTheOrigin() throws Exception {
        GatewaySnapshot s = snapshot(List.of(filter("response_headers", Map.of("add", Map.of("X-Seen", "1")))),
                route("/old", List.of(filter("direct_response", Map.of("status", 301,
                        "headers", Map.of("Location", "https://new.example/"), "body", "moved\n")))),
                route("/", List.of()));
        try (TestGateway gw = TestGateway.start(s); RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response r = c.send("GET /old/page HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 301 Moved Permanently");
            assertThat(r.header("location")).isEqualTo("https://new.example/");
            assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.bodyText()).isEqualTo("moved\n");
            assertThat(r.header("x-seen")).as("a local answer is written as its filter built it").isNull();

            // The connection stays open (the request had no body) and serves the next request.
            RawHttp.Response next = c.send("GET /fine HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.header("x-seen")).isEqualTo("1");
            assertThat(origin.received).extracting(TestOrigin.Received::uri).containsExactly("/fine");
        }
    }

    @Test
    void aLocalAnswerToARequestWithAnUnreadBodyClosesTheConnection() throws Exception {
        GatewaySnapshot s = snapshot(List.of(filter("direct_response", Map.of("status", 403))),
                RouteSpec.prefix("/", "backend"));
        try (TestGateway gw = TestGateway.start(s); RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response r = c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nxyz").read();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(origin.received).isEmpty();
        }
    }

    @Test
    void headerInjectionInConfigIsRefusedWithItsFieldPathAndTheRunningConfigStays() throws Exception {
        try (TestGateway gw = TestGateway.start(snapshot(List.of(), RouteSpec.prefix("/", "backend")))) {
            GatewaySnapshot evil = snapshot(List.of(filter("request_headers",
                    Map.of("set", Map.of("X-Env", "prod\r\nX-Admin: true")))), RouteSpec.prefix("/", "backend"));
            assertThatThrownBy(() -> gw.engine.apply(evil))
                    .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                            .extracting(Object::toString)
                            .containsExactly("listeners[0].filter_chain[0].set.X-Env: \"prod\\u000d\\u000aX-Admin: true\" "
                                    + "(expected: a field value: visible characters, spaces and tabs, not at either "
                                    + "end; no CR, LF or NUL)"));

            RawHttp.exchange(gw.port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            TestOrigin.Received got = origin.received.poll();
            assertThat(got.header("x-env")).isNull();
            assertThat(got.header("x-admin")).isNull();
        }
    }

    @Test
    void aReloadChangesTheFiltersOfOpenConnections() throws Exception {
        try (TestGateway gw = TestGateway.start(snapshot(List.of(), RouteSpec.prefix("/", "backend")));
             RawHttp c = new RawHttp(gw.port())) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().header("x-v")).isNull();
            gw.engine.apply(snapshot(List.of(filter("response_headers", Map.of("set", Map.of("X-V", "2")))),
                    RouteSpec.prefix("/", "backend")));
            assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().header("x-v")).isEqualTo("2");
        }
    }
}
