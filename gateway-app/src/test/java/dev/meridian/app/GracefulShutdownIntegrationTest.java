package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.GatewayEngine;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application drains the data plane: a request in flight completes, then the listener
 * no longer accepts.
 *
 * <p>The test starts and closes the application itself, as {@code java -jar meridian.jar proxy.toml}
 * would, rather than through {@code @SpringBootTest}, whose cached contexts a test must not close.
 */
class GracefulShutdownIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void requestInFlightWhenTheContextClosesStillCompletesWith200() throws Exception {
        try (TestOrigin slow = TestOrigin.start("slow", Duration.ofSeconds(2))) {
            Path config = TestGateway.write(dir.resolve("proxy.toml"), TestGateway.config("slow", slow));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(MeridianApplication.class)
                    .run("--server.port=0", config.toString());
            int port;
            CompletableFuture<HttpResponse<String>> inFlight;
            try {
                port = TestGateway.port(context.getBean(GatewayEngine.class));
                inFlight = TestGateway.CLIENT.sendAsync(
                        TestGateway.request("http://127.0.0.1:" + port + "/slow"), HttpResponse.BodyHandlers.ofString());
                assertThat(slow.awaitFirstRequest(Duration.ofSeconds(5))).as("origin received the request").isTrue();
            } finally {
                context.close();
            }

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("slow");
            // A fresh client, so no pooled keep-alive connection hides whether the listener still accepts.
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            assertThatThrownBy(() -> fresh.send(TestGateway.request("http://127.0.0.1:" + port + "/"),
                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(ConnectException.class);
        }
    }
}
