package dev.meridian.app.engine;

import dev.meridian.engine.config.ConfigError;
import dev.meridian.engine.config.ConfigValidationException;
import java.nio.file.Path;
import java.util.List;

/**
 * Thrown at startup when the config file fails validation; names the file, since
 * {@link ConfigValidationException} carries only the field errors.
 */
public final class InvalidConfigFileException extends RuntimeException {

    private final Path path;
    private final List<ConfigError> errors;

    public InvalidConfigFileException(Path path, ConfigValidationException cause) {
        super("Config file " + path + " is invalid:" + ConfigErrors.asLines(cause.errors()), cause);
        this.path = path;
        this.errors = cause.errors();
    }

    public Path path() {
        return path;
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
