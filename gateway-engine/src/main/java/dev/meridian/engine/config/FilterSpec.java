package dev.meridian.engine.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a listener's {@code filter_chain} or a route's {@code filters}: the filter's
 * {@code name} and its settings, e.g.
 * {@code { name = "request_headers", set = { "X-Env" = "prod" }, remove = ["X-Debug"] }}.
 *
 * <p>The settings stay untyped here (the keys after {@code name}, as parsed from TOML, YAML or
 * JSON: strings, numbers, booleans, lists and tables) because each filter defines its own; the
 * filter's factory checks them when the engine validates the snapshot ({@link SnapshotValidator}
 * with the engine's {@link FilterChainValidator}), so an unknown key or a bad value is reported
 * with its field path like any other config error.
 *
 * @param name     the filter's registered name, e.g. {@code request_headers}
 * @param settings the other keys of the entry, in file order; never null
 */
public record FilterSpec(String name, Map<String, Object> settings) {

    public FilterSpec {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** A filter without settings. */
    public static FilterSpec of(String name) {
        return new FilterSpec(name, Map.of());
    }

    /**
     * The entry as a config file spells it: a table whose {@code name} key names the filter and
     * whose other keys are its settings. A {@code name} that is not a string is kept as null here
     * and reported by the validator.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static FilterSpec fromTable(Map<String, Object> table) {
        Map<String, Object> settings = new LinkedHashMap<>(table);
        Object name = settings.remove("name");
        return new FilterSpec(name instanceof String s ? s : null, settings);
    }

    /** The inverse of {@link #fromTable}: what the admin API and a written config show. */
    @JsonValue
    public Map<String, Object> toTable() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("name", name);
        table.putAll(settings);
        return table;
    }
}
