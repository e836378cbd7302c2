package dev.meridian.engine.limit;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Counts one listener's open connections, in total and per client address, and refuses a
 * connection that would exceed either limit. Defends against connection exhaustion: a flood of
 * idle or slow connections (slowloris) holding file descriptors and memory, and one address
 * crowding out every other client.
 *
 * <p>Lock-free: the total is an {@link AtomicInteger}; each address has a counter in a concurrent
 * map, moved by CAS. A counter that drops to zero is marked dead and removed, so memory follows the
 * addresses connected now; an acquirer that meets a dead counter removes it and starts a new one.
 * Every successful {@link #tryAcquire} must be paired with exactly one {@link #release}.
 *
 * <p>Limits may change at runtime (a config reload); connections already open are kept.
 */
public final class ConnectionLimiter {

    /** {@link #tryAcquire} verdict: the connection may proceed. */
    public static final int ADMITTED = 0;
    /** {@link #tryAcquire} verdict: the listener is at {@code max_connections}. */
    public static final int OVER_TOTAL = 1;
    /** {@link #tryAcquire} verdict: the client address is at {@code max_connections_per_ip}. */
    public static final int OVER_PER_CLIENT = 2;

    private static final int DEAD = -1;
    private static final AtomicIntegerFieldUpdater<Count> COUNT =
            AtomicIntegerFieldUpdater.newUpdater(Count.class, "n");

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Count> perClient = new ConcurrentHashMap<>();
    private volatile int maxTotal;
    private volatile int maxPerClient;

    public ConnectionLimiter(int maxTotal, int maxPerClient) {
        setLimits(maxTotal, maxPerClient);
    }

    /** Applies new limits to connections accepted from now on. */
    public void setLimits(int maxTotal, int maxPerClient) {
        if (maxTotal <= 0 || maxPerClient <= 0) {
            throw new IllegalArgumentException("limits: " + maxTotal + ", " + maxPerClient + " (expected: > 0)");
        }
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /**
     * Counts a new connection from {@code client} if both limits allow it.
     *
     * @return {@link #ADMITTED} (then call {@link #release} once when it closes),
     *     {@link #OVER_TOTAL} or {@link #OVER_PER_CLIENT} (nothing was counted)
     */
    public int tryAcquire(InetAddress client) {
        if (!acquireClient(client)) {
            return OVER_PER_CLIENT;
        }
        int limit = maxTotal;
        for (;;) {
            int n = total.get();
            if (n >= limit) {
                releaseClient(client);
                return OVER_TOTAL;
            }
            if (total.compareAndSet(n, n + 1)) {
                return ADMITTED;
            }
        }
    }

    /** Uncounts a connection that {@link #tryAcquire} admitted. */
    public void release(InetAddress client) {
        total.decrementAndGet();
        releaseClient(client);
    }

    private boolean acquireClient(InetAddress client) {
        int limit = maxPerClient;
        for (;;) {
            Count c = perClient.get(client);
            if (c == null) {
                c = new Count();
                Count raced = perClient.putIfAbsent(client, c);
                if (raced == null) {
                    return true;
                }
                c = raced;
            }
            int n = c.n;
            if (n == DEAD) {
                // Its last connection just closed; replace it (remove is a no-op if already replaced).
                perClient.remove(client, c);
                continue;
            }
            if (n >= limit) {
                return false;
            }
            if (COUNT.compareAndSet(c, n, n + 1)) {
                return true;
            }
        }
    }

    private void releaseClient(InetAddress client) {
        Count c = perClient.get(client);
        if (c == null) {
            return; // unbalanced release: a bug, but never let it corrupt another client's count
        }
        for (;;) {
            int n = c.n;
            if (n <= 0) {
                return;
            }
            if (n == 1) {
                // Zero: retire the counter so the map holds only addresses with open connections.
                if (COUNT.compareAndSet(c, 1, DEAD)) {
                    perClient.remove(client, c);
                    return;
                }
            } else if (COUNT.compareAndSet(c, n, n - 1)) {
                return;
            }
        }
    }

    /** Connections open right now. */
    public int open() {
        return total.get();
    }

    /** Connections open right now from {@code client}. */
    public int openFrom(InetAddress client) {
        Count c = perClient.get(client);
        int n = c == null ? 0 : c.n;
        return Math.max(0, n);
    }

    /** Addresses with at least one open connection. */
    public int trackedClients() {
        return perClient.size();
    }

    /** One address's open connections, or {@link #DEAD} once retired. */
    private static final class Count {
        volatile int n = 1;
    }
}
