package dev.meridian.engine.filter;

import dev.meridian.engine.config.FilterSpec;
import java.util.List;

/**
 * The compiled, immutable filters of one listener or route, in configured order: built once per
 * snapshot and shared by every request. Its {@link ChainRunner} calls the filters: a call site per
 * position for short chains, so the JIT can inline each position's filter.
 */
public final class FilterChain {

    /** The chain of a listener or route without filters. */
    public static final FilterChain EMPTY = new FilterChain(new HttpFilter[0]);

    private final HttpFilter[] filters;
    /** What calls the filters (null for the empty chain, which runs nothing). */
    private final ChainRunner runner;

    private FilterChain(HttpFilter[] filters) {
        this.filters = filters;
        this.runner = filters.length == 0 ? null : ChainRunner.of(filters);
    }

    /** A chain of {@code filters}, run in the given order. */
    public static FilterChain of(HttpFilter... filters) {
        if (filters.length == 0) {
            return EMPTY;
        }
        HttpFilter[] copy = filters.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new IllegalArgumentException("filters[" + i + "]: null (expected: a filter)");
            }
        }
        return new FilterChain(copy);
    }

    /**
     * Compiles validated {@code specs} (see {@link FilterFactory#validateChain}) with their
     * registered factories.
     *
     * @throws IllegalArgumentException when a spec names no registered filter
     */
    public static FilterChain compile(List<FilterSpec> specs) {
        if (specs.isEmpty()) {
            return EMPTY;
        }
        HttpFilter[] filters = new HttpFilter[specs.size()];
        for (int i = 0; i < filters.length; i++) {
            FilterSpec spec = specs.get(i);
            FilterFactory factory = FilterFactory.named(spec.name());
            if (factory == null) {
                throw new IllegalArgumentException("filter name: \"" + spec.name() + "\" (expected: one of "
                        + String.join(", ", FilterFactory.names()) + ")");
            }
            filters[i] = factory.create(spec.settings());
        }
        return new FilterChain(filters);
    }

    public boolean isEmpty() {
        return filters.length == 0;
    }

    public int size() {
        return filters.length;
    }

    public HttpFilter get(int i) {
        return filters[i];
    }

    /** What runs this chain's hooks; null for the empty chain. */
    ChainRunner runner() {
        return runner;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FilterChain[");
        for (int i = 0; i < filters.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(filters[i].name());
        }
        return sb.append(']').toString();
    }
}
