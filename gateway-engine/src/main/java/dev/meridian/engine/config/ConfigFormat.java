package dev.meridian.engine.config;

import java.util.List;
import java.util.Locale;

/** The file formats a configuration may be written in, chosen by file extension. */
public enum ConfigFormat {
    TOML,
    YAML,
    JSON;

    /**
     * The format of a file named {@code fileName} ({@code .toml}, {@code .yaml}/{@code .yml},
     * {@code .json}, case-insensitive).
     *
     * @throws ConfigValidationException naming the file when the extension is none of these
     */
    public static ConfigFormat ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".toml")) {
            return TOML;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return YAML;
        }
        if (lower.endsWith(".json")) {
            return JSON;
        }
        throw new ConfigValidationException(List.of(new ConfigError("file", SnapshotValidator.show(fileName),
                "a name ending in .toml, .yaml, .yml or .json")));
    }

    /** What this format calls a key-value container, for messages ("a table", "a mapping"). */
    String containerNoun() {
        return switch (this) {
            case TOML -> "a table";
            case YAML -> "a mapping";
            case JSON -> "an object";
        };
    }
}
