package dev.meridian.engine.filter;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one chain's hooks for a {@link FilterExecution}: the code that calls the filters, chosen
 * when the chain is built so that, in a deployment whose chains keep the same filters, each
 * chain position is a call site that sees one filter class.
 *
 * <p>Why: one loop over the filters is one call site for every filter of every chain, so the JIT
 * sees many receiver classes there and dispatches each hook through an itable stub, inlining
 * nothing. A chain of at most {@link UnrolledRunner#MAX} filters instead runs through an
 * {@link UnrolledRunner}, a call site per position; and each distinct sequence of filter classes
 * gets its own copy of that class (a hidden class defined from the same bytes, so it has its own
 * type profile), so two chains of different filters do not share, and pollute, one profile. The
 * JIT then inlines each position's hook, and the context reads inside it, into one method.
 *
 * <p>Only speed depends on this: every runner calls the same hooks in the same order with the
 * same stop and defect handling (through {@link FilterExecution}'s callbacks). When copies cannot
 * be made (the template's bytes unreadable, or {@link #MAX_COPIES} sequences already copied) the
 * shared template class runs the chain, merely with a shared profile.
 */
abstract class ChainRunner {

    private static final Logger log = LoggerFactory.getLogger(ChainRunner.class);

    /**
     * Distinct filter-class sequences that get their own runner class. Bounds metaspace and JIT
     * work when chains are generated; far above the distinct chains a hand-written config has.
     */
    static final int MAX_COPIES = 64;

    /** Runner classes by the sequence of filter classes they were made for. */
    private static final Map<List<Class<?>>, Class<?>> COPIES = new ConcurrentHashMap<>();
    private static final byte[] TEMPLATE = templateBytes();

    /**
     * Runs the request hooks from position {@code from} on, in order, until one does not continue.
     *
     * @return {@code CONTINUE} after the last (reported through {@link FilterExecution#requestsDone}),
     *     else what {@link FilterExecution#requestStopped} or {@link FilterExecution#requestThrew} made of it
     */
    abstract FilterResult runRequest(FilterExecution x, int from);

    /** Runs the response hooks in reverse order until one does not continue. */
    abstract FilterResult runResponse(FilterExecution x);

    /** The runner for {@code filters} (non-empty, not modified later). */
    static ChainRunner of(HttpFilter[] filters) {
        if (filters.length > UnrolledRunner.MAX) {
            return new LoopRunner(filters);
        }
        Class<?> copy = copyFor(filters);
        if (copy != null) {
            try {
                return (ChainRunner) copy.getDeclaredConstructor(HttpFilter[].class).newInstance((Object) filters);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("filter chain runner copy failed; using the shared one", e);
            }
        }
        return new UnrolledRunner(filters);
    }

    private static Class<?> copyFor(HttpFilter[] filters) {
        if (TEMPLATE == null) {
            return null;
        }
        List<Class<?>> key = List.of(Arrays.stream(filters).map(Object::getClass).toArray(Class<?>[]::new));
        Class<?> copy = COPIES.get(key);
        if (copy != null || COPIES.size() >= MAX_COPIES) {
            return copy;
        }
        return COPIES.computeIfAbsent(key, k -> define());
    }

    private static Class<?> define() {
        try {
            // Same bytes, new class: its own type profiles. COPIES keeps it for the process's life.
            return MethodHandles.lookup().defineHiddenClass(TEMPLATE, true).lookupClass();
        } catch (IllegalAccessException | RuntimeException | LinkageError e) {
            log.debug("filter chain runner copy not defined; using the shared one", e);
            return UnrolledRunner.class;
        }
    }

    private static byte[] templateBytes() {
        try (InputStream in = UnrolledRunner.class.getResourceAsStream("UnrolledRunner.class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** The general runner, for chains longer than {@link UnrolledRunner#MAX}: one call site for all. */
    static final class LoopRunner extends ChainRunner {

        private final HttpFilter[] filters;

        LoopRunner(HttpFilter[] filters) {
            this.filters = filters;
        }

        @Override
        FilterResult runRequest(FilterExecution x, int from) {
            HttpFilter[] fs = filters;
            for (int i = from; i < fs.length; i++) {
                FilterResult r;
                try {
                    r = fs[i].onRequest(x);
                } catch (RuntimeException e) {
                    return x.requestThrew(i, e);
                }
                if (r != FilterResult.CONTINUE) {
                    return x.requestStopped(i, r);
                }
            }
            return x.requestsDone(fs.length);
        }

        @Override
        FilterResult runResponse(FilterExecution x) {
            HttpFilter[] fs = filters;
            for (int i = fs.length - 1; i >= 0; i--) {
                FilterResult r;
                try {
                    r = fs[i].onResponse(x);
                } catch (RuntimeException e) {
                    return x.responseThrew(fs[i], e);
                }
                if (r != FilterResult.CONTINUE) {
                    return x.responseStopped(fs[i], r);
                }
            }
            return FilterResult.CONTINUE;
        }
    }
}
