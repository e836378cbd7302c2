package dev.meridian.engine.config;

import java.util.List;

/** Thrown when a snapshot or config file is invalid; carries every {@link ConfigError} found. */
public final class ConfigValidationException extends RuntimeException {

    private final List<ConfigError> errors;

    public ConfigValidationException(List<ConfigError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String summary(List<ConfigError> errors) {
        StringBuilder sb = new StringBuilder("invalid configuration: ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(errors.get(i).message());
        }
        return sb.toString();
    }
}
