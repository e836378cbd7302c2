package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.EndpointState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which endpoints a balancer may return, shared by every policy: available ones (healthy and not
 * ejected), other than the one a retry avoids — unless the cluster is in panic.
 *
 * <p>Panic (Envoy's {@code healthy_panic_threshold}): when fewer than {@code threshold} percent of
 * the endpoints are available, the balancer ignores availability and spreads over all of them,
 * because health checks and outlier detection can be wrong and concentrating the whole load on a
 * small remainder would take it down too. A threshold of 0 disables panic: then, with no endpoint
 * available, a pick returns {@code null} (the proxy answers 503).
 *
 * <p>Counting available endpoints is O(n), so the decision is cached with the
 * {@linkplain EndpointState#availabilityVersion() availability version} it was computed at and
 * recomputed only after some endpoint changed. Balancers consult it only when their first choice
 * is unavailable, so a healthy cluster never pays for it.
 */
final class Eligibility {

    private static final VarHandle PANIC_STATE;

    static {
        try {
            PANIC_STATE = MethodHandles.lookup().findVarHandle(Eligibility.class, "panicState", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Endpoint[] endpoints;
    private final int thresholdPercent;
    /** {@code (version + 1) << 1 | panic}; 0 means "never computed". */
    @SuppressWarnings("unused") // accessed through PANIC_STATE
    private volatile long panicState;

    Eligibility(Endpoint[] endpoints, int thresholdPercent) {
        if (thresholdPercent < 0 || thresholdPercent > 100) {
            throw new IllegalArgumentException("panic_threshold_percent: " + thresholdPercent
                    + " (expected: >= 0 and <= 100)");
        }
        this.endpoints = endpoints;
        this.thresholdPercent = thresholdPercent;
    }

    /** Whether fewer than the threshold's share of endpoints are available right now. */
    boolean panic() {
        if (thresholdPercent == 0) {
            return false;
        }
        // Read the version before counting: a change during the count leaves a stale tag behind,
        // so the next call recounts rather than trusting a count that may have missed it.
        long version = EndpointState.availabilityVersion();
        long s = (long) PANIC_STATE.getAcquire(this);
        if ((s >>> 1) == version + 1) {
            return (s & 1) != 0;
        }
        int available = 0;
        for (Endpoint e : endpoints) {
            if (e.available()) {
                available++;
            }
        }
        boolean panic = available * 100L < (long) thresholdPercent * endpoints.length;
        PANIC_STATE.setRelease(this, ((version + 1) << 1) | (panic ? 1 : 0));
        return panic;
    }

    /** Whether {@code e} may be returned given the retry's {@code avoid} and the panic state. */
    static boolean eligible(Endpoint e, Endpoint avoid, boolean panic) {
        return e != avoid && (panic || e.available());
    }

    /**
     * The first eligible endpoint scanning from {@code start} (wrapping); else the avoided one if
     * it is usable (a retry on the same endpoint beats none); else, with panic disabled,
     * {@code null}; else {@code endpoints[start]} (availability flipped under us: behave as panic).
     */
    Endpoint fallback(int start, Endpoint avoid, boolean panic) {
        int n = endpoints.length;
        for (int k = 0; k < n; k++) {
            int i = start + k;
            Endpoint e = endpoints[i >= n ? i - n : i];
            if (eligible(e, avoid, panic)) {
                return e;
            }
        }
        for (int k = 0; k < n; k++) {
            int i = start + k;
            Endpoint e = endpoints[i >= n ? i - n : i];
            if (panic || e.available()) {
                return e; // only the avoided endpoint is left
            }
        }
        return thresholdPercent == 0 ? null : endpoints[start];
    }
}
