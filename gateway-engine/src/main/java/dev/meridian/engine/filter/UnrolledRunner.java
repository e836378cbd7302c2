package dev.meridian.engine.filter;

/**
 * Runs a chain of at most {@link #MAX} filters with one call site per position, so that the JIT
 * profiles, and inlines, each position's filter on its own (see {@link ChainRunner}, which also
 * defines a copy of this class per sequence of filter classes).
 *
 * <p>The template of those copies: it must name no nested or other private classes of its own,
 * since a hidden copy resolves its own name to itself and every other name as usual. Positions
 * beyond the chain's size are never reached, so the JIT compiles them away.
 */
final class UnrolledRunner extends ChainRunner {

    /** The longest chain unrolled; longer chains run through {@link ChainRunner.LoopRunner}. */
    static final int MAX = 8;

    private final int size;
    private final HttpFilter f0;
    private final HttpFilter f1;
    private final HttpFilter f2;
    private final HttpFilter f3;
    private final HttpFilter f4;
    private final HttpFilter f5;
    private final HttpFilter f6;
    private final HttpFilter f7;

    UnrolledRunner(HttpFilter[] filters) {
        if (filters.length == 0 || filters.length > MAX) {
            throw new IllegalArgumentException("filters: " + filters.length + " (expected: 1.." + MAX + ")");
        }
        size = filters.length;
        f0 = filters.length > 0 ? filters[0] : null;
        f1 = filters.length > 1 ? filters[1] : null;
        f2 = filters.length > 2 ? filters[2] : null;
        f3 = filters.length > 3 ? filters[3] : null;
        f4 = filters.length > 4 ? filters[4] : null;
        f5 = filters.length > 5 ? filters[5] : null;
        f6 = filters.length > 6 ? filters[6] : null;
        f7 = filters.length > 7 ? filters[7] : null;
    }

    @Override
    FilterResult runRequest(FilterExecution x, int from) {
        int n = size;
        if (from >= n) {
            return x.requestsDone(n);
        }
        int i = from;
        FilterResult r;
        try {
            // Falls through from the first position to run; each case returns when its filter stops.
            switch (from) {
                case 0:
                    i = 0;
                    r = f0.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(0, r);
                    }
                    if (n == 1) {
                        break;
                    }
                case 1:
                    i = 1;
                    r = f1.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(1, r);
                    }
                    if (n == 2) {
                        break;
                    }
                case 2:
                    i = 2;
                    r = f2.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(2, r);
                    }
                    if (n == 3) {
                        break;
                    }
                case 3:
                    i = 3;
                    r = f3.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(3, r);
                    }
                    if (n == 4) {
                        break;
                    }
                case 4:
                    i = 4;
                    r = f4.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(4, r);
                    }
                    if (n == 5) {
                        break;
                    }
                case 5:
                    i = 5;
                    r = f5.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(5, r);
                    }
                    if (n == 6) {
                        break;
                    }
                case 6:
                    i = 6;
                    r = f6.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(6, r);
                    }
                    if (n == 7) {
                        break;
                    }
                case 7:
                    i = 7;
                    r = f7.onRequest(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.requestStopped(7, r);
                    }
                default:
                    break;
            }
        } catch (RuntimeException e) {
            return x.requestThrew(i, e);
        }
        return x.requestsDone(n);
    }

    @Override
    FilterResult runResponse(FilterExecution x) {
        int i = size - 1;
        FilterResult r;
        try {
            // Falls through from the last position down to the first.
            switch (i) {
                case 7:
                    i = 7;
                    r = f7.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f7, r);
                    }
                case 6:
                    i = 6;
                    r = f6.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f6, r);
                    }
                case 5:
                    i = 5;
                    r = f5.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f5, r);
                    }
                case 4:
                    i = 4;
                    r = f4.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f4, r);
                    }
                case 3:
                    i = 3;
                    r = f3.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f3, r);
                    }
                case 2:
                    i = 2;
                    r = f2.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f2, r);
                    }
                case 1:
                    i = 1;
                    r = f1.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f1, r);
                    }
                case 0:
                    i = 0;
                    r = f0.onResponse(x);
                    if (r != FilterResult.CONTINUE) {
                        return x.responseStopped(f0, r);
                    }
                default:
                    break;
            }
        } catch (RuntimeException e) {
            return x.responseThrew(filter(i), e);
        }
        return FilterResult.CONTINUE;
    }

    private HttpFilter filter(int i) {
        switch (i) {
            case 0:
                return f0;
            case 1:
                return f1;
            case 2:
                return f2;
            case 3:
                return f3;
            case 4:
                return f4;
            case 5:
                return f5;
            case 6:
                return f6;
            case 7:
                return f7;
            default:
                throw new IndexOutOfBoundsException(i);
        }
    }
}
