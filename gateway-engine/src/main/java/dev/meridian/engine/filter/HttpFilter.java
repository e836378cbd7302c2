package dev.meridian.engine.filter;

/**
 * A filter: code that sees each request of a listener or route before it goes upstream, and its
 * response before it goes downstream, and may edit headers, answer locally or pass data along.
 *
 * <p>A filter is compiled once per config snapshot by its {@link FilterFactory} and shared by
 * every request and every event loop, so it must be immutable (per-request state goes in
 * {@link FilterContext#putMetadata metadata}). Hooks run on the request's event loop and must
 * not block; a hook that must wait returns {@link FilterResult#PENDING} and later calls
 * {@link FilterContext#resume}.
 *
 * <p>Order: listener filters' request hooks, the route match, route filters' request hooks; then,
 * once the response head is decoded, route filters' response hooks in reverse order and the
 * listener filters' in reverse (as Envoy's encoder filters). A response hook runs only when its
 * filter's request hook ran and the response came from upstream; a local answer is written as
 * its filter built it.
 *
 * <p>A hook that throws is a defect of its filter: the request is answered 500, generically.
 */
public interface HttpFilter {

    /** The filter's registered name, as {@code filter_chain} entries spell it. */
    String name();

    /**
     * Called with the request head before it goes upstream.
     *
     * @return {@link FilterResult#CONTINUE}, {@link FilterResult#RESPONDED} (after
     *     {@link FilterContext#respond}), or {@link FilterResult#PENDING}
     */
    default FilterResult onRequest(FilterContext ctx) {
        return FilterResult.CONTINUE;
    }

    /**
     * Called with the response head before it goes downstream; the response body has not been
     * read yet. May return {@link FilterResult#RESPONDED} to replace the response with a local
     * one (the upstream connection is then closed), but not {@link FilterResult#PENDING}.
     */
    default FilterResult onResponse(FilterContext ctx) {
        return FilterResult.CONTINUE;
    }
}
