package dev.meridian.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.testing.TestOrigin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed TOML of REFERENCE.md, loaded unchanged (listener 0.0.0.0:8080, origins on 9001 and
 * 9002), routes "/" round-robin to both origins.
 */
class ReferenceConfigIntegrationTest {

    @Test
    void referenceExampleRoutesRoundRobinToTwoOrigins() throws Exception {
        GatewaySnapshot snapshot = ConfigLoader.load(Path.of("src/test/resources/config/reference.toml"));
        try (TestOrigin o1 = TestOrigin.start("origin-9001", 9001); TestOrigin o2 = TestOrigin.start("origin-9002", 9002)) {
            GatewayEngine engine = new GatewayEngine(new EngineOptions(2, true, Duration.ofSeconds(2)));
            engine.start(snapshot);
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Map<String, Integer> seen = new HashMap<>();
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    seen.merge(r.headers().firstValue("x-origin").orElseThrow(), 1, Integer::sum);
                }
                assertThat(seen).containsEntry("origin-9001", 5).containsEntry("origin-9002", 5);
            } finally {
                engine.stop();
            }
        }
    }
}
