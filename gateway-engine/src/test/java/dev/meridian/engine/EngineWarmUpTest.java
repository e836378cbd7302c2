package dev.meridian.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The self-warm-up: real requests through a private engine, nothing left behind. */
class EngineWarmUpTest {

    @Test
    void proxiesEveryRequestShapeOnLoopback() {
        long requests = EngineWarmUp.run(new EngineOptions(1, true, Duration.ofSeconds(1)), Duration.ofMillis(700));

        // Three shapes rotate over four clients; a shape that hung its client (a framing bug on
        // either side) would stop the count at a handful.
        assertThat(requests).isGreaterThan(30);
    }

    @Test
    void engineStartedWithAWarmUpServesWithCleanStats() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o1")) {
            GatewayEngine engine = new GatewayEngine(new EngineOptions(1, true, Duration.ofSeconds(1),
                    Duration.ofMillis(500)));
            engine.start(TestGateway.snapshot(ClusterSpec.of("backend", TestGateway.endpoints(origin)),
                    RouteSpec.prefix("/", "backend")));
            try {
                // The warm-up's traffic went through its own engine: none of it is counted here.
                assertThat(engine.stats().requestsTotal.sum()).isZero();
                assertThat(engine.listeners()).hasSize(1);
                int port = engine.listeners().get(0).boundAddress().getPort();
                RawHttp.Response r = RawHttp.exchange(port, "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).startsWith("o1 GET /after");
                assertThat(engine.stats().requestsTotal.sum()).isEqualTo(1);
            } finally {
                engine.stop();
            }
        }
    }

    @Test
    void refusesANegativeOrOverlongWarmUp() {
        assertThatThrownBy(() -> new EngineOptions(1, true, null, Duration.ofSeconds(-1)))
                .hasMessageContaining("warmUp");
        assertThatThrownBy(() -> new EngineOptions(1, true, null, Duration.ofMinutes(5)))
                .hasMessageContaining("warmUp");
    }
}
