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

/** The per-connection deadlines one at a time: request head, body rate, keep-alive idle. */
class DeadlineIntegrationTest extends WithTestOrigin {

    static final long HEAD_MS = 500;
    static final long WINDOW_MS = 500;
    static final long IDLE_MS = 3000;

    private static TestGateway gateway() {
        ListenerSpec listener = new ListenerSpec("http", "127.0.0.1:0", List.of(), null, null, null, IDLE_MS,
                HEAD_MS, 1024L, WINDOW_MS, null, null, null);
        return TestGateway.start(new GatewaySnapshot(List.of(listener),
                List.of(ClusterSpec.of("backend", TestGateway.endpoints(origin))), List.of(RouteSpec.prefix("/", "backend"))));
    }

    @Test
    void closesSilentlyAConnectionThatNeverSendsAByte() throws Exception {
        try (TestGateway gw = gateway(); RawHttp c = new RawHttp(gw.port())) {
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(HEAD_MS - 100, HEAD_MS + 3000);
            assertThat(gw.engine.stats().requestHeadTimeouts.sum()).isEqualTo(1);
            assertThat(gw.engine.stats().responses4xx.sum()).isZero();
        }
    }

    @Test
    void answers408WhenAKeepAliveRequestStallsMidHeadButLetsAnIdleConnectionWait() throws Exception {
        try (TestGateway gw = gateway(); RawHttp c = new RawHttp(gw.port())) {
            assertThat(c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            // Idle between requests is governed by idle_timeout_ms, not the head deadline.
            Thread.sleep(HEAD_MS * 3);
            assertThat(c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);

            long t0 = System.nanoTime();
            c.send("GET /3 HTTP/1.1\r\nHost: a\r\nX-Slow: ");
            RawHttp.Response r = c.read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(ms).isBetween(HEAD_MS - 100, HEAD_MS + 3000);
            assertThat(gw.engine.stats().requestHeadTimeouts.sum()).isEqualTo(1);
        }
    }

    @Test
    void passesABodyThatKeepsAboveTheMinimumRateOverSeveralWindows() throws Exception {
        try (TestGateway gw = gateway(); RawHttp c = new RawHttp(gw.port())) {
            int parts = 10;
            int part = 400; // 400 bytes every 100 ms: 4 KB/s against a 1 KB/s minimum, over 2 windows
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + parts * part + "\r\n\r\n");
            for (int i = 0; i < parts; i++) {
                Thread.sleep(100);
                c.send("b".repeat(part));
            }
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(gw.engine.stats().requestBodyTooSlow.sum()).isZero();
        }
    }

    @Test
    void answers408AndClosesTheUpstreamWhenABodyFallsBelowTheMinimumRate() throws Exception {
        try (TestGateway gw = gateway(); RawHttp c = new RawHttp(gw.port())) {
            int before = origin.connections();
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + "b".repeat(100));
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByPeer()).isTrue();
            assertThat(gw.engine.stats().requestBodyTooSlow.sum()).isEqualTo(1);
            long end = System.currentTimeMillis() + 5000;
            while (origin.openConnections() > 0 && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertThat(origin.connections()).isGreaterThan(before);
            assertThat(origin.openConnections()).as("the upstream holding the cut request is closed").isZero();
        }
    }
}
