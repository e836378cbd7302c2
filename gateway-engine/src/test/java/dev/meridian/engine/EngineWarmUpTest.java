package dev.meridian.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

/** The self-warm-up: real requests through a private engine, nothing left behind. */
class EngineWarmUpTest {

    /** The event loops of the engine being warmed, which the warm-up borrows and leaves running. */
    private final LoopResources loops = LoopResources.create("warm-up-test", 1, 1, true);

    @AfterEach
    void disposeLoops() {
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }

    @Test
    void proxiesEveryRequestShapeOnLoopback() {
        EngineWarmUp.Result result = EngineWarmUp.run(new EngineOptions(1, true, Duration.ofSeconds(1)),
                Duration.ofMillis(700), loops);

        // Five shapes rotate over the clients; a shape that hung its client (a framing bug on
        // either side) would stop the count at a handful.
        assertThat(result.requests()).isGreaterThan(30);
        assertThat(result.clientsEndedEarly()).isZero();
    }

    @Test
    void leavesConnectionsTheWayRealClientsDoAndKeepsGoing() {
        // Short connections, so the rough client ends several within the run: each ending is a
        // "Connection: close" answered and closed, a reset with a request in flight, a half-closed
        // client answered, and a 400.
        EngineWarmUp.Result result = EngineWarmUp.run(new EngineOptions(1, true, Duration.ofSeconds(1)),
                Duration.ofMillis(700), loops, 20);

        // A refused request not answered 400, a half-closed one not answered, or a proxy stuck
        // after a reset, ends the client early. How many endings fit in the time depends on the
        // host (a starved CI host once managed 1), so the count only has to show they happened.
        assertThat(result.roughEndings()).isPositive();
        assertThat(result.clientsEndedEarly()).isZero();
        assertThat(result.requests()).isGreaterThan(20);
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
