package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import org.junit.jupiter.api.Test;

/** A route's {@code max_body_bytes}: 413 before anything reaches the origin, or mid-stream for chunked bodies. */
class BodyLimitIntegrationTest {

    private static TestGateway gateway(TestOrigin origin, long maxBody) {
        return TestGateway.start(TestGateway.snapshot(ClusterSpec.of("backend", TestGateway.endpoints(origin)),
                new RouteSpec("upload", null, "/upload", null, "backend", null, null, maxBody, null, null, null),
                RouteSpec.prefix("/", "backend")));
    }

    @Test
    void refusesADeclaredContentLengthOverTheLimitBeforeConnectingUpstream() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o1"); TestGateway gw = gateway(origin, 1000);
             RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response r = c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n").read();

            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(origin.connections()).isZero();
            assertThat(origin.received).isEmpty();
            assertThat(gw.engine.stats().requestBodyTooLarge.sum()).isEqualTo(1);
        }
    }

    @Test
    void passesABodyExactlyAtTheLimitAndLeavesOtherRoutesUnlimited() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o1"); TestGateway gw = gateway(origin, 1000);
             RawHttp c = new RawHttp(gw.port())) {
            String body = "x".repeat(1000);
            assertThat(c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + body)
                    .read().status()).isEqualTo(200);
            String big = "y".repeat(100_000);
            assertThat(c.send("POST /other HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + big)
                    .read().status()).isEqualTo(200);
            assertThat(origin.received).extracting(TestOrigin.Received::bodyBytes).containsExactly(1000L, 100_000L);
        }
    }

    @Test
    void cutsAChunkedBodyThatCrossesTheLimitAndClosesTheUpstreamConnection() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o1"); TestGateway gw = gateway(origin, 1000);
             RawHttp c = new RawHttp(gw.port())) {
            String chunk = Integer.toHexString(600) + "\r\n" + "z".repeat(600) + "\r\n";
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);
            // Let the first chunk travel upstream so the limit is crossed mid-stream.
            long end = System.currentTimeMillis() + 5000;
            while (origin.connections() == 0 && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertThat(origin.connections()).isEqualTo(1);
            c.send(chunk);

            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
            // The origin got a truncated request on a connection that was then closed, never reused.
            end = System.currentTimeMillis() + 5000;
            while (origin.openConnections() > 0 && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertThat(origin.openConnections()).isZero();
            assertThat(origin.received).isEmpty();
            assertThat(gw.engine.stats().requestBodyTooLarge.sum()).isEqualTo(1);

            // The next request takes a fresh upstream connection.
            assertThat(RawHttp.exchange(gw.port(), "GET /x HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            assertThat(origin.connections()).isEqualTo(2);
        }
    }
}
