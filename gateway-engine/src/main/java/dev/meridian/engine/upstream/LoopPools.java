package dev.meridian.engine.upstream;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.internal.LoopLocal;
import dev.meridian.engine.observe.ProxyStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * All upstream connection pools of one event loop, one {@link EndpointPool} per endpoint.
 *
 * <p>Every downstream connection takes its upstream connections from the pools of its own event
 * loop (ARCHITECTURE.md, rule 1): a proxied request never crosses threads and never locks.
 */
public final class LoopPools {

    /** How often idle connections past their cluster's idle timeout are closed. */
    static final long SWEEP_INTERVAL_MS = 1000;

    private final EventLoop loop;
    private final int loopCount;
    private final ProxyStats stats;
    private final Bootstrap bootstrap;
    /** Every pool of this loop, for the sweeper and shutdown; a request finds its pool on the endpoint. */
    private final ArrayList<EndpointPool> pools = new ArrayList<>();
    private final ScheduledFuture<?> sweeper;
    /** This loop's {@link LoopLocal} slot, found on its first acquire (on the loop). */
    private int slot = UNKNOWN_SLOT;
    private static final int UNKNOWN_SLOT = -2;

    public LoopPools(EventLoop loop, Class<? extends Channel> channelType, int loopCount, ProxyStats stats) {
        this.loop = loop;
        this.loopCount = loopCount;
        this.stats = stats;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        this.sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Finds a connection to {@code endpoint} for {@code listener}: an idle pooled one, a new one,
     * or a place in the wait queue. Must run on this pool's event loop.
     */
    public void acquire(Cluster cluster, Endpoint endpoint, int connectTimeoutMs, UpstreamListener listener) {
        EndpointPool pool = pool(endpoint);
        if (pool == null) {
            pool = new EndpointPool(this, endpoint);
            pools.add(pool);
            if (slot >= 0) {
                endpoint.loopPool(slot, pool);
            }
        }
        pool.acquire(cluster, connectTimeoutMs, listener);
    }

    /** Withdraws {@code listener} from the wait queue of {@code endpoint}, if it is there. */
    public void cancel(Endpoint endpoint, UpstreamListener listener) {
        EndpointPool pool = pool(endpoint);
        if (pool != null) {
            pool.cancel(listener);
        }
    }

    /** This loop's pool for {@code endpoint}, or null. */
    private EndpointPool pool(Endpoint endpoint) {
        int s = slot;
        if (s == UNKNOWN_SLOT) {
            slot = s = LoopLocal.currentSlot();
        }
        if (s >= 0) {
            EndpointPool p = (EndpointPool) endpoint.loopPool(s);
            // Another engine on this loop (the warm-up's, a test's) never sees its pools here:
            // each engine has its own endpoints; the owner check is for a slot taken over.
            return p != null && p.owner() == this ? p : null;
        }
        // More event loops than LoopLocal has slots: the rare case pays a scan.
        for (int i = 0, n = pools.size(); i < n; i++) {
            EndpointPool p = pools.get(i);
            if (p.endpoint() == endpoint) {
                return p;
            }
        }
        return null;
    }

    /** Closes every idle connection and stops the sweeper; used when the engine stops. */
    public void shutdown() {
        sweeper.cancel(false);
        for (EndpointPool pool : pools) {
            pool.closeIdle();
        }
    }

    public EventLoop eventLoop() {
        return loop;
    }

    int loopCount() {
        return loopCount;
    }

    ProxyStats stats() {
        return stats;
    }

    Bootstrap bootstrap() {
        return bootstrap;
    }

    private void sweep() {
        long now = System.nanoTime();
        var it = pools.iterator();
        while (it.hasNext()) {
            EndpointPool pool = it.next();
            pool.closeExpired(now);
            if (pool.openConnections() == 0 && !pool.hasWaiters()) {
                // Endpoints dropped by a reload leave empty pools behind; forget them.
                it.remove();
                if (slot >= 0 && pool.endpoint().loopPool(slot) == pool) {
                    pool.endpoint().loopPool(slot, null);
                }
            }
        }
    }
}
