package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.app.engine.InvalidConfigFileException;
import dev.meridian.app.engine.MissingConfigFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Startup without a usable config file fails at once and tells the operator what to do. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigFileStartupTest {

    @TempDir
    Path dir;

    @Test
    void failsFastSayingHowToRunWithoutConfigFileOrDemoProfile(CapturedOutput output) {
        assertThatThrownBy(() -> run("--server.port=0"))
                .hasRootCauseInstanceOf(MissingConfigFileException.class);

        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("Meridian has no config file to serve.")
                .contains("Run `java -jar meridian.jar proxy.toml` (or set meridian.config-file), "
                        + "or try the demo with `java -jar meridian.jar --spring.profiles.active=demo`.");
    }

    @Test
    void failsNamingTheFileWhenItDoesNotExist(CapturedOutput output) {
        Path missing = dir.resolve("absent.toml");

        assertThatThrownBy(() -> run("--server.port=0", missing.toString()))
                .hasRootCauseInstanceOf(MissingConfigFileException.class);

        assertThat(output.getAll()).contains("Config file " + missing + " does not exist.");
    }

    @Test
    void failsListingTheFieldErrorsWhenTheFileIsInvalid(CapturedOutput output) {
        try (TestOrigin origin = TestOrigin.start("origin")) {
            Path invalid = TestGateway.write(dir.resolve("proxy.toml"), TestGateway.config("nope", origin));

            assertThatThrownBy(() -> run("--server.port=0", invalid.toString()))
                    .hasCauseInstanceOf(InvalidConfigFileException.class);

            assertThat(output.getAll())
                    .contains("APPLICATION FAILED TO START")
                    .contains("Config file " + invalid + " is invalid:")
                    .contains("routes[0].cluster: \"nope\" (expected: ");
        }
    }

    private static void run(String... args) {
        new SpringApplicationBuilder(MeridianApplication.class).run(args).close();
    }
}
