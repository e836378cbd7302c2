package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.WithTestOrigin;
import dev.meridian.engine.testing.TestOrigin;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-client token-bucket rate limits on a listener and on a route, over real sockets. */
class RateLimitIntegrationTest extends WithTestOrigin {

    private static TestGateway gateway(ListenerSpec.RateLimit listenerLimit, RouteSpec... routes) {
        ListenerSpec listener = new ListenerSpec("http", "127.0.0.1:0", List.of(), null, null, null, null,
                null, null, null, null, null, listenerLimit);
        return TestGateway.start(new GatewaySnapshot(List.of(listener),
                List.of(ClusterSpec.of("backend", TestGateway.endpoints(origin))), List.of(routes)));
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: shop.example\r\n\r\n";
    }

    @Test
    void answers429WithRetryAfterOnTheSameConnectionAndServesAgainAfterRefill() throws Exception {
        try (TestGateway gw = gateway(new ListenerSpec.RateLimit(2.0, 2), RouteSpec.prefix("/", "backend"));
             RawHttp c = new RawHttp(gw.port())) {
            assertThat(c.send(get("/a")).read().status()).isEqualTo(200);
            assertThat(c.send(get("/b")).read().status()).isEqualTo(200);

            RawHttp.Response limited = c.send(get("/c")).read();
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("retry-after")).isEqualTo("1");
            assertThat(limited.header("connection")).isNull();
            assertThat(limited.bodyText()).isEqualTo("Too Many Requests\n");
            assertThat(origin.received).extracting(TestOrigin.Received::uri).containsExactly("/a", "/b");

            // Obeying Retry-After is enough: a token (one per 500 ms) has refilled by then.
            Thread.sleep(1000);
            assertThat(c.send(get("/d")).read().status()).isEqualTo(200);
            assertThat(origin.received).extracting(TestOrigin.Received::uri).containsExactly("/a", "/b", "/d");
            assertThat(gw.engine.stats().requestsRateLimited.sum()).isEqualTo(1);
        }
    }

    @Test
    void keepsTheConnectionAfterA429ForARequestWithASmallBody() throws Exception {
        try (TestGateway gw = gateway(new ListenerSpec.RateLimit(0.1, 1), RouteSpec.prefix("/", "backend"));
             RawHttp c = new RawHttp(gw.port())) {
            String post = "POST /form HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 5\r\n\r\nhello";
            assertThat(c.send(post).read().status()).isEqualTo(200);
            RawHttp.Response limited = c.send(post).read();
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("retry-after")).isEqualTo("10");
            // The dropped body did not desynchronize the connection: the next request parses.
            assertThat(c.send(post).read().status()).isEqualTo(429);
            assertThat(origin.received).hasSize(1);
        }
    }

    @Test
    void routeLimitAppliesToItsRouteOnlyAndPerClientAddress() throws Exception {
        RouteSpec login = new RouteSpec("login", null, "/login", null, "backend", null,
                new ListenerSpec.RateLimit(0.5, 1), null, null, null, null);
        try (TestGateway gw = gateway(null, login, RouteSpec.prefix("/", "backend"));
             RawHttp c = new RawHttp(gw.port())) {
            assertThat(c.send(get("/login")).read().status()).isEqualTo(200);
            RawHttp.Response limited = c.send(get("/login")).read();
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("retry-after")).isEqualTo("2");
            for (int i = 0; i < 5; i++) {
                assertThat(c.send(get("/other")).read().status()).isEqualTo(200);
            }
            // Another client address has its own bucket.
            try (java.net.Socket s = new java.net.Socket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.4", 0));
                s.connect(new java.net.InetSocketAddress("127.0.0.1", gw.port()));
                s.getOutputStream().write(get("/login").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(status).isEqualTo("HTTP/1.1 200");
            }
        }
    }

    @Test
    void aReloadKeepsARoutesBucketsUnlessItsLimitChanged() throws Exception {
        RouteSpec login = new RouteSpec("login", null, "/login", null, "backend", null,
                new ListenerSpec.RateLimit(0.1, 1), null, null, null, null);
        try (TestGateway gw = gateway(null, login, RouteSpec.prefix("/", "backend"));
             RawHttp c = new RawHttp(gw.port())) {
            assertThat(c.send(get("/login")).read().status()).isEqualTo(200);
            assertThat(c.send(get("/login")).read().status()).isEqualTo(429);

            // An edit elsewhere (a route added in front): the client's empty bucket stays empty.
            ListenerSpec listener = gw.engine.currentSnapshot().listeners().get(0);
            ClusterSpec cluster = ClusterSpec.of("backend", TestGateway.endpoints(origin));
            gw.engine.apply(new GatewaySnapshot(List.of(listener), List.of(cluster),
                    List.of(RouteSpec.prefix("/static/", "backend"), login, RouteSpec.prefix("/", "backend"))));
            assertThat(c.send(get("/login")).read().status()).isEqualTo(429);

            // The limit itself changed: a new limit starts with full buckets.
            RouteSpec looser = new RouteSpec("login", null, "/login", null, "backend", null,
                    new ListenerSpec.RateLimit(0.1, 3), null, null, null, null);
            gw.engine.apply(new GatewaySnapshot(List.of(listener), List.of(cluster),
                    List.of(looser, RouteSpec.prefix("/", "backend"))));
            assertThat(c.send(get("/login")).read().status()).isEqualTo(200);
            assertThat(gw.engine.stats().requestsRateLimited.sum()).isEqualTo(2);
        }
    }
}
