package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.engine.GatewayEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Running declaratively from {@code meridian.config-file}: the gateway serves the file, follows valid
 * edits, and keeps the last good config when an edit is invalid.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // the context watches a file this class deletes
class DeclarativeConfigIntegrationTest {

    // Started when the class loads, so the config file exists whenever the context reads the property.
    private static final TestOrigin FIRST = TestOrigin.start("first");
    private static final TestOrigin SECOND = TestOrigin.start("second");
    private static final Path CONFIG_FILE = TestGateway.write(tempFile(), TestGateway.config("first", FIRST, SECOND));

    @Autowired
    private GatewayEngine engine;

    @DynamicPropertySource
    static void configFile(DynamicPropertyRegistry registry) {
        registry.add("meridian.config-file", CONFIG_FILE::toString);
    }

    @AfterAll
    static void stopOrigins() throws IOException {
        FIRST.close();
        SECOND.close();
        Files.deleteIfExists(CONFIG_FILE);
    }

    @Test
    void followsValidEditsOfTheFileAndKeepsTheLastGoodConfigWhenAnEditIsInvalid(CapturedOutput output)
            throws Exception {
        HttpResponse<String> response = get("/hello?from=test");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("first");
        assertThat(FIRST.received()).contains("GET /hello?from=test");

        TestGateway.write(CONFIG_FILE, TestGateway.config("second", FIRST, SECOND));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(get("/moved").body()).isEqualTo("second"));

        TestGateway.write(CONFIG_FILE, TestGateway.config("nope", FIRST, SECOND));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getAll())
                .contains("is invalid; still serving the last good config:")
                .contains("routes[0].cluster: \"nope\" (expected: "));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> stillServed = get("/still");
            assertThat(stillServed.statusCode()).isEqualTo(200);
            assertThat(stillServed.body()).isEqualTo("second");
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return TestGateway.get("http://127.0.0.1:" + TestGateway.port(engine) + path);
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("meridian-declarative-", ".toml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
