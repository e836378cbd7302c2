package dev.meridian.engine.filter;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registry behind {@link FilterFactory#named}: every filter the engine ships, by name. */
final class BuiltInFilters {

    static final Map<String, FilterFactory> FACTORIES = register(
            new DirectResponseFilterFactory(),
            new RequestHeadersFilterFactory(),
            new ResponseHeadersFilterFactory());

    static final List<String> NAMES = List.copyOf(FACTORIES.keySet());

    private BuiltInFilters() {
    }

    private static Map<String, FilterFactory> register(FilterFactory... factories) {
        Map<String, FilterFactory> byName = new TreeMap<>();
        for (FilterFactory f : factories) {
            if (byName.put(f.name(), f) != null) {
                throw new IllegalStateException("filter name: \"" + f.name() + "\" (expected: registered once)");
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
