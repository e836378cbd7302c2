package dev.meridian.engine.cluster;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The mutable resilience state of one endpoint that outlives config reloads: whether active
 * health checking and outlier detection let balancers pick it, and outlier detection's counters.
 *
 * <p>Who writes what:
 * <ul>
 *   <li>the active health checker sets {@link #setHealthy} (the {@code UNHEALTHY} bit);</li>
 *   <li>outlier detection sets {@link #setEjected} (the {@code EJECTED} bit) and owns the
 *       consecutive-failure counters and the {@link #ejection()} record.</li>
 * </ul>
 * Balancers read {@link #available()}: {@code healthy && !ejected}, one volatile int read. Each
 * change of availability (rare) bumps a process-wide {@linkplain #availabilityVersion() version},
 * which lets balancers cache their panic decision and recompute it only after a change.
 *
 * <p>The snapshot compiler hands the same object to the new {@link Endpoint} when an endpoint of
 * the same cluster keeps its address across a reload, whatever its weight or position, so health,
 * ejections and counters carry over while requests of the old snapshot still report into it.
 */
public final class EndpointState {

    static final int UNHEALTHY = 1;
    static final int EJECTED = 2;

    private static final VarHandle FLAGS;
    private static final VarHandle CONSECUTIVE_5XX;
    private static final VarHandle CONSECUTIVE_GATEWAY;
    private static final VarHandle EJECTION;
    private static final VarHandle VERSION;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FLAGS = l.findVarHandle(EndpointState.class, "flags", int.class);
            CONSECUTIVE_5XX = l.findVarHandle(EndpointState.class, "consecutive5xx", int.class);
            CONSECUTIVE_GATEWAY = l.findVarHandle(EndpointState.class, "consecutiveGatewayFailures", int.class);
            EJECTION = l.findVarHandle(EndpointState.class, "ejection", Ejection.class);
            VERSION = l.findStaticVarHandle(EndpointState.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through VERSION
    private static volatile long version;

    private volatile int flags;
    @SuppressWarnings("unused") // accessed through CONSECUTIVE_5XX
    private volatile int consecutive5xx;
    @SuppressWarnings("unused") // accessed through CONSECUTIVE_GATEWAY
    private volatile int consecutiveGatewayFailures;
    private volatile Ejection ejection;

    /** A fresh state: healthy, not ejected, no failures. */
    public EndpointState() {
    }

    /**
     * Increases whenever any endpoint's availability changes; balancers compare it with the value
     * they last saw to know when to recount available endpoints.
     */
    public static long availabilityVersion() {
        return version;
    }

    /** Whether balancers may pick this endpoint: healthy and not ejected. */
    public boolean available() {
        return flags == 0;
    }

    /** What the last active health check verdict was ({@code true} until a checker says otherwise). */
    public boolean healthy() {
        return (flags & UNHEALTHY) == 0;
    }

    /** Whether outlier detection currently ejects this endpoint. */
    public boolean ejected() {
        return (flags & EJECTED) != 0;
    }

    /** Set by the active health checker only; returns whether the verdict changed. */
    public boolean setHealthy(boolean healthy) {
        return update(UNHEALTHY, !healthy);
    }

    /** Set by outlier detection only; returns whether the state changed. */
    public boolean setEjected(boolean ejected) {
        return update(EJECTED, ejected);
    }

    private boolean update(int bit, boolean set) {
        for (;;) {
            int old = flags;
            int next = set ? old | bit : old & ~bit;
            if (next == old) {
                return false;
            }
            if (FLAGS.compareAndSet(this, old, next)) {
                VERSION.getAndAdd(1L);
                return true;
            }
        }
    }

    // ---- outlier detection's counters ---------------------------------------------------------

    /** Adds one 5xx and returns the new run length. */
    public int increment5xx() {
        return (int) CONSECUTIVE_5XX.getAndAdd(this, 1) + 1;
    }

    /** Adds one gateway failure and returns the new run length. */
    public int incrementGatewayFailures() {
        return (int) CONSECUTIVE_GATEWAY.getAndAdd(this, 1) + 1;
    }

    /** Ends both runs of failures; a plain read first keeps the common success path free of writes. */
    public void resetFailures() {
        if (consecutive5xx != 0) {
            consecutive5xx = 0;
        }
        if (consecutiveGatewayFailures != 0) {
            consecutiveGatewayFailures = 0;
        }
    }

    public int consecutive5xx() {
        return consecutive5xx;
    }

    public int consecutiveGatewayFailures() {
        return consecutiveGatewayFailures;
    }

    /** The current or most recent ejection, or {@code null} if never ejected (or forgiven). */
    public Ejection ejection() {
        return ejection;
    }

    /** Compare-and-set of the ejection record: outlier detection's state transitions. */
    public boolean compareAndSetEjection(Ejection expected, Ejection next) {
        return EJECTION.compareAndSet(this, expected, next);
    }

    @Override
    public String toString() {
        return (healthy() ? "healthy" : "unhealthy") + (ejected() ? ", ejected" : "");
    }
}
