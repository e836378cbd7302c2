package dev.meridian.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ConfigFileWatcher;
import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.LoadLoop;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots swap atomically under load; a bad file or snapshot changes nothing. */
class HotReloadIntegrationTest {

    @TempDir
    Path dir;

    private static String toml(TestOrigin target, int weight) {
        return """
                [[listeners]]
                name = "http"
                address = "127.0.0.1:0"

                [[clusters]]
                name = "backend"
                endpoints = [ { address = "%s", weight = %d } ]

                [[routes]]
                prefix = "/"
                cluster = "backend"
                """.formatted(target.address(), weight);
    }

    @Test
    void twentyFileChangesUnderLoadFailNoRequest() throws Exception {
        try (TestOrigin a = TestOrigin.start("a"); TestOrigin b = TestOrigin.start("b")) {
            Path file = dir.resolve("proxy.toml");
            Files.writeString(file, toml(a, 1));
            List<ConfigValidationException> invalid = new CopyOnWriteArrayList<>();
            try (TestGateway gw = TestGateway.start(ConfigLoader.load(file));
                 ConfigFileWatcher watcher = ConfigFileWatcher.start(file, gw.engine::apply, invalid::add)) {
                LoadLoop load = LoadLoop.start(gw, "/load", 4);
                long version = gw.engine.version();
                for (int i = 1; i <= 20; i++) {
                    Files.writeString(file, toml(i % 2 == 1 ? b : a, i));
                    long deadline = System.currentTimeMillis() + 5000;
                    while (gw.engine.version() <= version && System.currentTimeMillis() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(gw.engine.version()).as("change %d applied", i).isGreaterThan(version);
                    version = gw.engine.version();
                    Thread.sleep(50);
                }
                load.close();

                assertThat(load.failures()).isEmpty();
                assertThat(invalid).isEmpty();
                assertThat(load.ok()).isGreaterThan(100);
                assertThat(a.received).isNotEmpty();
                assertThat(b.received).isNotEmpty();
            }
        }
    }

    @Test
    void invalidFileKeepsServingTheLastGoodConfig() throws Exception {
        try (TestOrigin a = TestOrigin.start("a")) {
            Path file = dir.resolve("proxy.toml");
            Files.writeString(file, toml(a, 1));
            List<ConfigValidationException> invalid = new CopyOnWriteArrayList<>();
            try (TestGateway gw = TestGateway.start(ConfigLoader.load(file));
                 ConfigFileWatcher watcher = ConfigFileWatcher.start(file, gw.engine::apply, invalid::add)) {
                Files.writeString(file, toml(a, 1).replace("weight = 1", "weight = -5"));
                long deadline = System.currentTimeMillis() + 5000;
                while (invalid.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(invalid).isNotEmpty();
                assertThat(invalid.get(0).getMessage()).contains("clusters[0].endpoints[0].weight: -5");
                assertThat(gw.engine.version()).isEqualTo(1);
                assertThat(gw.get("/still").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void requestInFlightFinishesOnTheSnapshotItStartedWith() throws Exception {
        try (TestOrigin a = TestOrigin.start("a"); TestOrigin b = TestOrigin.start("b");
             TestGateway gw = TestGateway.forOrigins(a)) {
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return gw.get("/slow?ms=800");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            gw.engine.apply(TestGateway.snapshot(ClusterSpec.of("backend", TestGateway.endpoints(b)),
                    RouteSpec.prefix("/", "backend")));

            assertThat(gw.get("/after").headers().firstValue("x-origin")).contains("b");
            HttpResponse<String> r = slow.join();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slow a");
        }
    }

    @Test
    void invalidSnapshotIsRejectedWithFieldAndLeavesConfigUntouched() throws Exception {
        try (TestOrigin a = TestOrigin.start("a"); TestGateway gw = TestGateway.forOrigins(a)) {
            ClusterSpec bad = new ClusterSpec("backend", null, -5L, TestGateway.endpoints(a), null, null);
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            gw.engine.apply(TestGateway.snapshot(bad, RouteSpec.prefix("/", "backend"))))
                    .isInstanceOf(ConfigValidationException.class)
                    .hasMessageContaining("clusters[0].connect_timeout_ms: -5");
            assertThat(gw.engine.version()).isEqualTo(1);
            assertThat(gw.get("/ok").statusCode()).isEqualTo(200);
        }
    }
}
