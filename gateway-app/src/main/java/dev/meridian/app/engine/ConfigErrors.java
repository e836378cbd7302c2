package dev.meridian.app.engine;

import dev.meridian.engine.config.ConfigError;
import java.util.List;

/** Formats config errors the same way for startup failures and for rejected hot reloads. */
final class ConfigErrors {

    private ConfigErrors() {
    }

    /** One indented line per error, each starting with a line break, ready to append to a message. */
    static String asLines(List<ConfigError> errors) {
        StringBuilder lines = new StringBuilder();
        for (ConfigError error : errors) {
            lines.append(System.lineSeparator()).append("  ").append(error.message());
        }
        return lines.toString();
    }
}
