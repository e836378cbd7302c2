package dev.meridian.engine.upstream;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.breaker.BreakerResource;
import dev.meridian.engine.cluster.breaker.CircuitBreaker;
import dev.meridian.engine.codec.Http1ResponseDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.util.ArrayDeque;

/**
 * The keep-alive connections of one event loop to one endpoint: idle ones (reused newest first),
 * the count of open ones, and the requests waiting for a connection when the maximum is reached.
 * Touched only by its event loop, so it takes no locks.
 */
final class EndpointPool {

    /**
     * Requests that may wait for a connection of one endpoint on one event loop before further
     * ones are refused; a bound so that a dead endpoint cannot queue unlimited memory.
     */
    static final int DEFAULT_MAX_WAITERS = 1024;

    private final LoopPools loop;
    private final Endpoint endpoint;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<UpstreamListener> waiters = new ArrayDeque<>();
    private Cluster cluster;
    private int open;

    EndpointPool(LoopPools loop, Endpoint endpoint) {
        this.loop = loop;
        this.endpoint = endpoint;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The loop's pools this pool belongs to. */
    LoopPools owner() {
        return loop;
    }

    boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    int openConnections() {
        return open;
    }

    void acquire(Cluster c, int connectTimeoutMs, UpstreamListener listener) {
        this.cluster = c;
        long now = System.nanoTime();
        UpstreamConnection conn;
        while ((conn = idle.pollLast()) != null) {
            if (conn.isActive() && now - conn.idleSinceNanos < c.poolIdleTimeoutNanos()) {
                conn.attach(listener);
                listener.onUpstreamConnected(conn);
                return;
            }
            conn.close();
        }
        if (open < maxOpen(c)) {
            connect(c, connectTimeoutMs, listener);
        } else if (waiters.size() < DEFAULT_MAX_WAITERS) {
            waiters.addLast(listener);
        } else {
            listener.onUpstreamUnavailable(UpstreamFailure.POOL_OVERFLOW);
        }
    }

    /** Withdraws a request that no longer waits for a connection (it timed out or was aborted). */
    void cancel(UpstreamListener listener) {
        waiters.remove(listener);
    }

    void release(UpstreamConnection conn) {
        UpstreamListener next = waiters.pollFirst();
        if (next != null) {
            conn.attach(next);
            next.onUpstreamConnected(conn);
            return;
        }
        conn.idleSinceNanos = System.nanoTime();
        idle.addLast(conn);
    }

    /** Closes idle connections older than the cluster's idle timeout; run periodically. */
    void closeExpired(long now) {
        Cluster c = cluster;
        if (c == null) {
            return;
        }
        for (UpstreamConnection conn = idle.peekFirst(); conn != null; conn = idle.peekFirst()) {
            if (now - conn.idleSinceNanos < c.poolIdleTimeoutNanos()) {
                break;
            }
            idle.pollFirst();
            conn.close();
        }
    }

    void closeIdle() {
        UpstreamConnection conn;
        while ((conn = idle.pollFirst()) != null) {
            conn.close();
        }
    }

    private void onClosed(UpstreamConnection conn) {
        open--;
        idle.remove(conn);
        Cluster c = cluster;
        if (c != null && !waiters.isEmpty() && open < maxOpen(c)) {
            // A waiter connects with the cluster's timeout; a route override applies to direct connects.
            connect(c, c.connectTimeoutMs(), waiters.pollFirst());
        }
    }

    private int maxOpen(Cluster c) {
        int loops = loop.loopCount();
        return Math.max(1, (c.maxConnectionsPerEndpoint() + loops - 1) / loops);
    }

    private void connect(Cluster c, int connectTimeoutMs, UpstreamListener listener) {
        CircuitBreaker breaker = c.breaker();
        if (!breaker.tryAcquire(BreakerResource.CONNECTIONS)) {
            listener.onUpstreamUnavailable(UpstreamFailure.CONNECTION_LIMIT);
            return;
        }
        open++;
        loop.stats().upstreamConnectionsOpened.increment();
        UpstreamConnection conn = new UpstreamConnection(this, new Http1ResponseDecoder(
                Http1ResponseDecoder.DEFAULT_MAX_HEADER_BYTES, Http1ResponseDecoder.DEFAULT_MAX_HEADER_COUNT));
        Bootstrap b = loop.bootstrap().clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("decoder", conn.decoder());
                        ch.pipeline().addLast("upstream", conn);
                    }
                });
        ChannelFuture f = b.connect(endpoint.socketAddress());
        f.channel().closeFuture().addListener(x -> {
            // Released into the same breaker object even after a reload: it persists by cluster name.
            breaker.release(BreakerResource.CONNECTIONS);
            onClosed(conn);
        });
        f.addListener(x -> {
            if (x.isSuccess()) {
                conn.attach(listener);
                listener.onUpstreamConnected(conn);
            } else {
                loop.stats().upstreamConnectFailures.increment();
                listener.onUpstreamUnavailable(x.cause() instanceof ConnectTimeoutException
                        ? UpstreamFailure.CONNECT_TIMEOUT : UpstreamFailure.CONNECT_FAILED);
            }
        });
    }
}
