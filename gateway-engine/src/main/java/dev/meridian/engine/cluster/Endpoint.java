package dev.meridian.engine.cluster;

import dev.meridian.engine.internal.LoopLocal;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.HostPort;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One upstream endpoint as the runtime sees it: its identity (index, address, weight) plus the
 * small mutable state balancers read on every pick.
 *
 * <p>The state is plain atomics, no locks: the in-flight request count (read by least-request on
 * every pick, so it is a single int field rather than a {@code LongAdder} whose sum walks cells)
 * and the {@link EndpointState} that health checking and outlier detection write. Identity is
 * object identity: two endpoints with the same address in different snapshots are different
 * objects when their weight or position changed, but they share one {@link EndpointState}, which
 * the runtime carries over by cluster and address when it compiles a new snapshot.
 */
public final class Endpoint {

    private static final VarHandle ACTIVE;

    static {
        try {
            ACTIVE = MethodHandles.lookup().findVarHandle(Endpoint.class, "activeRequests", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int index;
    private final String address;
    private final InetSocketAddress socketAddress;
    private final int weight;

    @SuppressWarnings("unused") // accessed through ACTIVE
    private volatile int activeRequests;
    private final EndpointState state;
    /**
     * Per event-loop slot ({@link LoopLocal}), the connection pool that loop keeps for this
     * endpoint: found by an array load instead of a map look-up per request (hot-path rule). Each
     * element is read and written only by the loop of its slot, so plain access is enough; typed
     * {@code Object} because {@code cluster} never depends on {@code upstream}.
     */
    private final Object[] loopPools = new Object[LoopLocal.SLOTS];

    /**
     * @param index position of the endpoint in its cluster, stable for the life of the snapshot
     * @param address the address as configured, e.g. {@code 127.0.0.1:9001}
     * @param socketAddress where to connect; may be unresolved for hostnames
     * @param weight balancing weight, at least 1
     */
    public Endpoint(int index, String address, InetSocketAddress socketAddress, int weight) {
        this(index, address, socketAddress, weight, new EndpointState());
    }

    /**
     * As {@link #Endpoint(int, String, InetSocketAddress, int)}, sharing {@code state} with the
     * endpoint of the same address in the previous snapshot.
     */
    public Endpoint(int index, String address, InetSocketAddress socketAddress, int weight, EndpointState state) {
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
        this.index = index;
        this.address = Objects.requireNonNull(address, "address");
        this.socketAddress = Objects.requireNonNull(socketAddress, "socketAddress");
        this.weight = weight;
        this.state = Objects.requireNonNull(state, "state");
    }

    /**
     * The endpoint for a validated spec: IP literals become resolved socket addresses without a
     * lookup, hostnames stay unresolved for the connector to resolve asynchronously.
     */
    public static Endpoint of(int index, EndpointSpec spec) {
        return new Endpoint(index, spec.address(), HostPort.parse(spec.address()).toSocketAddress(), spec.weight());
    }

    public int index() {
        return index;
    }

    public String address() {
        return address;
    }

    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    public int weight() {
        return weight;
    }

    /** Requests started on this endpoint and not yet ended. */
    public int activeRequests() {
        return activeRequests;
    }

    /** Call once when a request is sent to this endpoint; pair with exactly one {@link #requestEnded()}. */
    public void requestStarted() {
        ACTIVE.getAndAdd(this, 1);
    }

    /** Call once when a request started with {@link #requestStarted()} finishes, however it finishes. */
    public void requestEnded() {
        ACTIVE.getAndAdd(this, -1);
    }

    /**
     * Whether balancers should pick this endpoint: healthy by active checks and not ejected by
     * outlier detection ({@link EndpointState#available()}).
     */
    public boolean available() {
        return state.available();
    }

    /** The health and outlier state, shared with this address's endpoint in other snapshots. */
    public EndpointState state() {
        return state;
    }

    /** The pool the event loop of {@code slot} keeps for this endpoint, or null; only that loop may call. */
    public Object loopPool(int slot) {
        return loopPools[slot];
    }

    /** Records (or, with null, forgets) the pool of {@code slot}'s event loop; only that loop may call. */
    public void loopPool(int slot, Object pool) {
        loopPools[slot] = pool;
    }

    @Override
    public String toString() {
        return address;
    }
}
