package dev.meridian.engine.config;

import java.util.List;

/**
 * Checks the entries of one filter list for {@link SnapshotValidator}: config knows no filters,
 * so the engine passes the check of its filter registry ({@code FilterFactory::validateChain},
 * through {@code SnapshotCompiler.validate}), which alone knows each filter's settings.
 */
@FunctionalInterface
public interface FilterChainValidator {

    /**
     * Adds an error for every problem in {@code chain}, a list found at {@code at} (e.g.
     * {@code listeners[0].filter_chain}), each naming its field under {@code at}.
     */
    void validate(String at, List<FilterSpec> chain, List<ConfigError> errors);
}
