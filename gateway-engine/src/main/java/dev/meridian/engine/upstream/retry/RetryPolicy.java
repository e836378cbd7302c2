package dev.meridian.engine.upstream.retry;

import dev.meridian.engine.config.RetryPolicySpec;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A route's compiled retry policy: which failed attempts to retry, how often, after what backoff,
 * and under what per-try timeout. Immutable and shared by every request on the route.
 *
 * <p>{@link #defaults()} is the policy of a route without {@code retry_policy}: one retry, at once,
 * of a connect failure or a reset before anything was sent — nginx's {@code proxy_next_upstream
 * error}, safe for every method because the origin never saw the request.
 *
 * <p>A retry is allowed when all hold (see {@link #shouldRetry}): retries are left; a
 * {@code retry_on} condition matches; the origin cannot have acted on the request, or the method
 * is idempotent (RFC 9110 §9.2.2), or {@code retry_non_idempotent} is set; and the request body,
 * if one was sent, can be sent again. The cluster's breaker ({@code RETRIES}, or its retry budget)
 * has the final word, and the retry should go to another endpoint
 * ({@code LoadBalancer.pick(hash, avoid)}).
 */
public final class RetryPolicy {

    private static final int CONNECT_FAILURE = 1;
    private static final int RESET = 2;
    private static final int RESET_BEFORE_SEND = 4;
    private static final int PER_TRY_TIMEOUT = 8;
    private static final int STATUS_5XX = 16;
    private static final int STATUS_GATEWAY = 32;
    private static final int STATUS_LISTED = 64;

    private static final RetryPolicy DEFAULTS = new RetryPolicy(CONNECT_FAILURE | RESET_BEFORE_SEND, 1, 0,
            Backoff.NONE, new BitSet(), false);

    private final int conditions;
    private final int numRetries;
    private final long perTryTimeoutMs;
    private final Backoff backoff;
    private final BitSet statuses;
    private final boolean retryNonIdempotent;

    private RetryPolicy(int conditions, int numRetries, long perTryTimeoutMs, Backoff backoff, BitSet statuses,
                        boolean retryNonIdempotent) {
        this.conditions = conditions;
        this.numRetries = numRetries;
        this.perTryTimeoutMs = perTryTimeoutMs;
        this.backoff = backoff;
        this.statuses = statuses;
        this.retryNonIdempotent = retryNonIdempotent;
    }

    /** The policy of a route without {@code retry_policy}. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** The compiled form of a validated spec; {@code null} gives {@link #defaults()}. */
    public static RetryPolicy of(RetryPolicySpec spec) {
        if (spec == null) {
            return DEFAULTS;
        }
        int conditions = 0;
        for (String on : spec.retryOn()) {
            conditions |= switch (on) {
                case "connect-failure" -> CONNECT_FAILURE;
                case "reset" -> RESET | RESET_BEFORE_SEND;
                // Envoy: 5xx also covers connect failures, resets and per-try timeouts.
                case "5xx" -> STATUS_5XX | CONNECT_FAILURE | RESET | RESET_BEFORE_SEND | PER_TRY_TIMEOUT;
                case "gateway-error" -> STATUS_GATEWAY | CONNECT_FAILURE | RESET | RESET_BEFORE_SEND | PER_TRY_TIMEOUT;
                case "retriable-status-codes" -> STATUS_LISTED;
                default -> throw new IllegalArgumentException("retry_on: \"" + on + "\" (expected: one of "
                        + "connect-failure, reset, 5xx, gateway-error, retriable-status-codes)");
            };
        }
        BitSet statuses = new BitSet(600);
        for (int code : spec.retriableStatusCodes()) {
            statuses.set(code);
        }
        Backoff backoff = new Backoff(TimeUnit.MILLISECONDS.toNanos(spec.backoffBaseMs()),
                TimeUnit.MILLISECONDS.toNanos(spec.backoffMaxMs()));
        return new RetryPolicy(conditions, spec.numRetries(), spec.perTryTimeoutMs(), backoff, statuses,
                spec.retryNonIdempotent());
    }

    /** Retries allowed after the first attempt. */
    public int numRetries() {
        return numRetries;
    }

    /** The timeout of each attempt until its response head, in ms; 0 for none. */
    public long perTryTimeoutMs() {
        return perTryTimeoutMs;
    }

    public Backoff backoff() {
        return backoff;
    }

    public boolean retryNonIdempotent() {
        return retryNonIdempotent;
    }

    /** Whether a {@code retry_on} condition covers {@code cause} ({@code status} counts only for {@code RESPONSE}). */
    public boolean retriesOn(RetryCause cause, int status) {
        return switch (cause) {
            case CONNECT_FAILURE -> (conditions & CONNECT_FAILURE) != 0;
            case RESET_BEFORE_SEND -> (conditions & RESET_BEFORE_SEND) != 0;
            case RESET -> (conditions & RESET) != 0;
            case PER_TRY_TIMEOUT -> (conditions & PER_TRY_TIMEOUT) != 0;
            case RESPONSE -> ((conditions & STATUS_5XX) != 0 && status >= 500 && status <= 599)
                    || ((conditions & STATUS_GATEWAY) != 0 && (status == 502 || status == 503 || status == 504))
                    || ((conditions & STATUS_LISTED) != 0 && status >= 0 && statuses.get(status));
        };
    }

    /**
     * Whether to retry an attempt that ended with {@code cause} (and {@code status} for a response).
     *
     * @param retriesDone    retries already made for this request (0 after the first attempt)
     * @param idempotent     whether the request method is idempotent ({@link #isIdempotent})
     * @param bodyReplayable whether the request body, if any of it was sent, can be sent again
     *                       (no body, or a body still fully buffered); {@code true} when nothing was sent
     */
    public boolean shouldRetry(RetryCause cause, int status, int retriesDone, boolean idempotent,
                               boolean bodyReplayable) {
        if (retriesDone >= numRetries || !retriesOn(cause, status)) {
            return false;
        }
        if (cause.nothingSent()) {
            return true;
        }
        return bodyReplayable && (idempotent || retryNonIdempotent);
    }

    /** The backoff before retry {@code retry} (1 for the first). */
    public long backoffNanos(int retry, RandomGenerator random) {
        return backoff.delayNanos(retry, random);
    }

    /** Whether {@code method} is idempotent (RFC 9110 §9.2.2): GET, HEAD, OPTIONS, TRACE, PUT, DELETE. */
    public static boolean isIdempotent(String method) {
        return switch (Objects.requireNonNull(method, "method")) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    /** The {@code retry_on} keys this policy was compiled from, for the admin view. */
    public List<String> describe() {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        if ((conditions & CONNECT_FAILURE) != 0) {
            out.add("connect-failure");
        }
        if ((conditions & RESET) != 0) {
            out.add("reset");
        } else if ((conditions & RESET_BEFORE_SEND) != 0) {
            out.add("reset-before-send");
        }
        if ((conditions & STATUS_5XX) != 0) {
            out.add("5xx");
        }
        if ((conditions & STATUS_GATEWAY) != 0) {
            out.add("gateway-error");
        }
        if ((conditions & STATUS_LISTED) != 0) {
            out.add("retriable-status-codes");
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "RetryPolicy" + describe() + " x" + numRetries;
    }
}
