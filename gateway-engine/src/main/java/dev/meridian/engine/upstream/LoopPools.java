package dev.meridian.engine.upstream;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.observe.ProxyStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.IdentityHashMap;
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
    private final IdentityHashMap<Endpoint, EndpointPool> pools = new IdentityHashMap<>();
    private final ScheduledFuture<?> sweeper;

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
        EndpointPool pool = pools.get(endpoint);
        if (pool == null) {
            pool = new EndpointPool(this, endpoint);
            pools.put(endpoint, pool);
        }
        pool.acquire(cluster, connectTimeoutMs, listener);
    }

    /** Withdraws {@code listener} from the wait queue of {@code endpoint}, if it is there. */
    public void cancel(Endpoint endpoint, UpstreamListener listener) {
        EndpointPool pool = pools.get(endpoint);
        if (pool != null) {
            pool.cancel(listener);
        }
    }

    /** Closes every idle connection and stops the sweeper; used when the engine stops. */
    public void shutdown() {
        sweeper.cancel(false);
        for (EndpointPool pool : pools.values()) {
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
        var it = pools.values().iterator();
        while (it.hasNext()) {
            EndpointPool pool = it.next();
            pool.closeExpired(now);
            if (pool.openConnections() == 0) {
                // Endpoints dropped by a reload leave empty pools behind; forget them.
                it.remove();
            }
        }
    }
}
