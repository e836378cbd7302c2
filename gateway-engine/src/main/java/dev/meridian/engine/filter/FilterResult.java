package dev.meridian.engine.filter;

/** What a filter hook decided: go on with the next filter, stop because it answered, or wait. */
public enum FilterResult {
    /** Go on: the next filter runs, and after the last one the request goes upstream (or the response downstream). */
    CONTINUE,
    /**
     * The filter answered the request itself with {@link FilterContext#respond}: the chain stops
     * and nothing (more) goes upstream.
     */
    RESPONDED,
    /**
     * Request hooks only: the filter waits for something (a lookup, a token check) and will call
     * {@link FilterContext#resume} on the event loop with {@code CONTINUE} or {@code RESPONDED}.
     * Nothing is allocated for a chain whose filters never return it.
     */
    PENDING
}
