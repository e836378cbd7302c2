package dev.meridian.engine.cluster.breaker;

/** What a circuit breaker limits; each has its own counter, threshold and overflow count. */
public enum BreakerResource {
    /** Open upstream connections to all endpoints of the cluster, held from connect start to close. */
    CONNECTIONS("max_connections"),
    /** Requests waiting for a connection from the pool, held from enqueue to dequeue. */
    PENDING_REQUESTS("max_pending_requests"),
    /** Requests in flight to the cluster, held from the first attempt to the end of the request. */
    REQUESTS("max_requests"),
    /** Requests currently in a retry, held from the first retry to the end of the request. */
    RETRIES("max_retries");

    /** {@code values()} clones its array on every call; this one is shared and never written. */
    private static final BreakerResource[] BY_ORDINAL = values();

    private final String key;

    BreakerResource(String key) {
        this.key = key;
    }

    /** The config key of this resource's threshold, also its name in stats. */
    public String key() {
        return key;
    }

    /** The resource with {@code ordinal}, without the copy {@code values()} makes. */
    static BreakerResource ofOrdinal(int ordinal) {
        return BY_ORDINAL[ordinal];
    }
}
