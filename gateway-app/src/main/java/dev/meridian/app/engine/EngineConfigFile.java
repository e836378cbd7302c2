package dev.meridian.app.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The config file the engine serves from, and whether edits to it are applied while running.
 *
 * @param path    absolute path of a TOML or YAML file that {@code ConfigLoader} reads
 * @param watched whether a {@code ConfigFileWatcher} applies its changes (the operator's file is
 *                watched; the demo's extracted copy is not, since nobody edits it)
 */
public record EngineConfigFile(Path path, boolean watched) {

    /**
     * Picks the config file: the first non-option argument, else {@code meridian.config-file}, else
     * the demo's when the demo profile is on.
     *
     * @param nonOptionArgs      command-line arguments that are not {@code --options}
     * @param configFileProperty the {@code meridian.config-file} property, or null
     * @param demoConfig         extracts the demo config when the demo profile is active, else null
     * @throws MissingConfigFileException when there is none, or the named file does not exist
     */
    public static EngineConfigFile resolve(
            List<String> nonOptionArgs, String configFileProperty, Supplier<Path> demoConfig) {
        String named = !nonOptionArgs.isEmpty() ? nonOptionArgs.get(0) : configFileProperty;
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named).toAbsolutePath().normalize();
            if (!Files.isRegularFile(path)) {
                throw MissingConfigFileException.notFound(path);
            }
            return new EngineConfigFile(path, true);
        }
        if (demoConfig != null) {
            return new EngineConfigFile(demoConfig.get(), false);
        }
        throw MissingConfigFileException.none();
    }
}
