package dev.meridian.engine.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Upstream keep-alive pools as an origin observes them: connections opened and reused. */
class UpstreamPoolIntegrationTest {

    @Test
    void reusesOneUpstreamConnectionForSequentialRequests() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o1"); TestGateway gw = TestGateway.forOrigins(origin)) {
            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> r = gw.get("/seq/" + i);
                assertThat(r.statusCode()).isEqualTo(200);
            }
            assertThat(origin.connections()).isEqualTo(1);
            assertThat(origin.received).hasSize(1000);
        }
    }

    @Test
    void neverOpensMoreConnectionsThanThePoolAllows() throws Exception {
        // Two event loops share a maximum of 4: at most 2 each, whatever the client concurrency.
        try (TestOrigin origin = TestOrigin.start("o1")) {
            ClusterSpec cluster = new ClusterSpec("backend", null, null, TestGateway.endpoints(origin), 4, null);
            try (TestGateway gw = TestGateway.start(TestGateway.snapshot(cluster, RouteSpec.prefix("/", "backend")))) {
                ExecutorService pool = Executors.newFixedThreadPool(16);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    results.add(pool.submit(() -> {
                        int ok = 0;
                        for (int i = 0; i < 60; i++) {
                            // 16 concurrent workers: the client opens many downstream connections over both loops.
                            if (gw.get("/slow?ms=5").statusCode() == 200) {
                                ok++;
                            }
                        }
                        return ok;
                    }));
                }
                int ok = 0;
                for (Future<Integer> f : results) {
                    ok += f.get();
                }
                pool.shutdown();
                assertThat(ok).isEqualTo(16 * 60);
                assertThat(origin.connections()).isBetween(1, 4);
            }
        }
    }
}
