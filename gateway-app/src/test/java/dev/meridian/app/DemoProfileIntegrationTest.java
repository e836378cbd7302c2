package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The demo as a user runs it: the reference config on 8080 balancing over the demo origins 9001 and
 * 9002, and the management port (random here) reporting health with the engine's listener.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
@AutoConfigureObservability(tracing = false) // tests turn metrics export off unless asked; we test it
@DirtiesContext // release 8080, 9001 and 9002 for any other test that needs them
class DemoProfileIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    private int managementPort;

    @Test
    void roundRobinsTenRequestsFiveToEachDemoOrigin() throws Exception {
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = TestGateway.get("http://127.0.0.1:8080/");

            assertThat(response.statusCode()).isEqualTo(200);
            String origin = response.headers().firstValue("X-Demo-Origin").orElseThrow();
            assertThat(response.body()).isEqualTo("hello from demo origin " + origin + "\n");
            assertThat(response.headers().firstValue("X-Demo-Request")).hasValue("GET /");
            origins.add(origin);
        }

        assertThat(origins).containsOnly("9001", "9002");
        assertThat(origins.stream().filter("9001"::equals).count()).isEqualTo(5);
        for (int i = 1; i < origins.size(); i++) {
            assertThat(origins.get(i)).as("request %d went to the other origin than request %d", i, i - 1)
                    .isNotEqualTo(origins.get(i - 1));
        }
    }

    @Test
    void healthIsUpWithLivenessReadinessAndTheEngineListingItsListener() throws Exception {
        HttpResponse<String> response = TestGateway.get(management("/actuator/health"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode components = health.path("components");
        assertThat(components.path("livenessState").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("readinessState").path("status").asText()).isEqualTo("UP");
        JsonNode engine = components.path("engine");
        assertThat(engine.path("status").asText()).isEqualTo("UP");
        JsonNode http = engine.path("details").path("listeners").path("http");
        assertThat(http.path("address").asText()).isEqualTo("0.0.0.0:8080");
        assertThat(http.path("bound").asBoolean()).isTrue();
        assertThat(http.path("boundAddress").asText()).endsWith(":8080");
    }

    @Test
    void readinessProbeIncludesTheEngine() throws Exception {
        HttpResponse<String> response = TestGateway.get(management("/actuator/health/readiness"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode readiness = JSON.readTree(response.body());
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("engine").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void servesPrometheusMetricsOnTheManagementPortIncludingEngineTraffic() throws Exception {
        assertThat(TestGateway.get("http://127.0.0.1:8080/metrics-probe").statusCode()).isEqualTo(200);

        HttpResponse<String> response = TestGateway.get(management("/actuator/prometheus"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
        assertThat(metric(response.body(), "meridian_requests_total")).isGreaterThanOrEqualTo(1);
        assertThat(metric(response.body(), "meridian_responses_total{class=\"2xx\"}")).isGreaterThanOrEqualTo(1);
        assertThat(response.body()).contains("meridian_downstream_connections_active");
        assertThat(response.body()).contains("# TYPE meridian_request_duration_seconds histogram");
        assertThat(metric(response.body(), "meridian_request_duration_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(metric(response.body(), "meridian_request_duration_seconds_bucket{le=\"+Inf\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    private static double metric(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not exposed"));
    }

    private String management(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }
}
