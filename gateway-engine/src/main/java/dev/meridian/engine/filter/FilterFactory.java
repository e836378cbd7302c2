package dev.meridian.engine.filter;

import dev.meridian.engine.config.ConfigError;
import dev.meridian.engine.config.FilterSpec;
import dev.meridian.engine.config.SnapshotValidator;
import java.util.List;
import java.util.Map;

/**
 * Builds one kind of {@link HttpFilter} from the settings of a {@link FilterSpec}, and checks
 * those settings first; the registry of factories by name is static ({@link #named}), so a new
 * filter is one factory and one registry line, and the chain never changes.
 */
public interface FilterFactory {

    /** The name {@code filter_chain} and {@code filters} entries use, e.g. {@code request_headers}. */
    String name();

    /**
     * Adds an error for every problem in {@code settings} (the entry's keys besides {@code name}),
     * each naming its field under {@code at}, e.g. {@code listeners[0].filter_chain[1].set.X-Env}.
     */
    void validate(String at, Map<String, Object> settings, List<ConfigError> errors);

    /** The filter for settings that {@link #validate} accepted. */
    HttpFilter create(Map<String, Object> settings);

    /** The registered factory called {@code name}, or null. */
    static FilterFactory named(String name) {
        return name == null ? null : BuiltInFilters.FACTORIES.get(name);
    }

    /** Every registered name, sorted. */
    static List<String> names() {
        return BuiltInFilters.NAMES;
    }

    /**
     * Checks a list of filter specs found at {@code at} (e.g. {@code listeners[0].filter_chain}):
     * every name registered, every entry's settings valid for its filter.
     */
    static void validateChain(String at, List<FilterSpec> chain, List<ConfigError> errors) {
        for (int i = 0; i < chain.size(); i++) {
            String entry = at + "[" + i + "]";
            FilterSpec spec = chain.get(i);
            if (spec == null) {
                errors.add(new ConfigError(entry, "missing", "a filter entry with a name"));
                continue;
            }
            FilterFactory factory = named(spec.name());
            if (factory == null) {
                errors.add(new ConfigError(entry + ".name", SnapshotValidator.show(spec.name()),
                        "one of: " + String.join(", ", names())));
                continue;
            }
            factory.validate(entry, spec.settings(), errors);
        }
    }
}
