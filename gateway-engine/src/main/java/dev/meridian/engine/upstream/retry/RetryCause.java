package dev.meridian.engine.upstream.retry;

/** What ended an upstream attempt without a usable response, as a retry policy judges it. */
public enum RetryCause {
    /** The connection could not be established (refused, unreachable, connect timeout). */
    CONNECT_FAILURE,
    /**
     * The connection closed or reset before any byte of the request was written to it (typically
     * a pooled keep-alive connection the origin closed as we reused it): the origin cannot have
     * acted on the request, so any method may be retried.
     */
    RESET_BEFORE_SEND,
    /** The connection closed or reset after the request was (partly) sent, before the response head. */
    RESET,
    /** No response head within the per-try timeout. */
    PER_TRY_TIMEOUT,
    /** A response head arrived; its status decides. */
    RESPONSE;

    /** Whether the origin cannot have seen the request, which makes a retry safe for any method. */
    public boolean nothingSent() {
        return this == CONNECT_FAILURE || this == RESET_BEFORE_SEND;
    }
}
