package dev.meridian.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void firstNonOptionArgumentWinsOverThePropertyAndIsWatched() throws IOException {
        Path fromArgs = Files.createFile(dir.resolve("args.toml"));
        Path fromProperty = Files.createFile(dir.resolve("property.toml"));

        EngineConfigFile file = EngineConfigFile.resolve(
                List.of(fromArgs.toString(), "ignored"), fromProperty.toString(), () -> dir.resolve("demo.toml"));

        assertThat(file).isEqualTo(new EngineConfigFile(fromArgs, true));
    }

    @Test
    void propertyIsUsedWithoutArguments() throws IOException {
        Path fromProperty = Files.createFile(dir.resolve("property.toml"));

        EngineConfigFile file = EngineConfigFile.resolve(List.of(), fromProperty.toString(), null);

        assertThat(file).isEqualTo(new EngineConfigFile(fromProperty, true));
    }

    @Test
    void demoConfigIsUsedUnwatchedWhenNoFileIsNamed() {
        Path demo = dir.resolve("demo.toml");

        EngineConfigFile file = EngineConfigFile.resolve(List.of(), null, () -> demo);

        assertThat(file).isEqualTo(new EngineConfigFile(demo, false));
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectory() throws IOException {
        Path relative = Path.of("target", "engine-config-file-test.toml");
        Files.createDirectories(relative.getParent());
        Files.deleteIfExists(relative);
        Files.createFile(relative);
        try {
            EngineConfigFile file = EngineConfigFile.resolve(List.of(relative.toString()), null, null);

            assertThat(file.path()).isAbsolute().isEqualTo(relative.toAbsolutePath().normalize());
        } finally {
            Files.delete(relative);
        }
    }

    @Test
    void noFileAndNoDemoFailsWithHowToRun() {
        assertThatThrownBy(() -> EngineConfigFile.resolve(List.of(), " ", null))
                .isInstanceOf(MissingConfigFileException.class)
                .hasMessage("Meridian has no config file to serve. " + MissingConfigFileException.HOW_TO_RUN + ".");
    }

    @Test
    void namedFileThatDoesNotExistFailsNamingIt() {
        Path missing = dir.resolve("missing.toml");

        assertThatThrownBy(() -> EngineConfigFile.resolve(List.of(missing.toString()), null, () -> missing))
                .isInstanceOf(MissingConfigFileException.class)
                .hasMessageStartingWith("Config file " + missing + " does not exist. Run ");
    }
}
