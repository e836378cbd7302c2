package dev.meridian.engine.config;

/**
 * One reason a snapshot is invalid: the field path (as the config file, admin API and dashboard
 * name it, e.g. {@code clusters[0].connect_timeout_ms}), the offending value and what was expected.
 */
public record ConfigError(String field, String value, String expected) {

    /** The text users see: {@code clusters[0].connect_timeout_ms: -5 (expected: > 0)}. */
    public String message() {
        return field + ": " + value + " (expected: " + expected + ")";
    }

    @Override
    public String toString() {
        return message();
    }
}
