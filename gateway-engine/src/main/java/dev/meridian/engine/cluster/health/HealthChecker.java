package dev.meridian.engine.cluster.health;

import dev.meridian.engine.cluster.Cluster;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.util.Collection;

/**
 * Runs the active health checks of every cluster that configures one, off the request path on
 * the engine's event loops, and records the verdicts in each endpoint's
 * {@link dev.meridian.engine.cluster.EndpointState#setHealthy}.
 *
 * <p>Lifecycle: create one per engine; after compiling each snapshot call {@link #update} with
 * its clusters (checks of unchanged endpoints keep running with their counters, new ones start at
 * a random point of their interval, dropped ones stop and their endpoints count as healthy again);
 * {@link #stop} when the engine stops. Endpoints start healthy: a new endpoint is trusted until
 * its checks fail, so adding one never causes a burst of 503s.
 */
public interface HealthChecker {

    /**
     * A checker whose probes run on {@code group}'s event loops (each endpoint pinned to one) and
     * connect with {@code channelType} (e.g. {@code NioSocketChannel.class}, or the epoll one the
     * engine uses).
     */
    static HealthChecker create(EventLoopGroup group, Class<? extends Channel> channelType) {
        return new EventLoopHealthChecker(group, channelType);
    }

    /** Starts, keeps or stops checks so that exactly the endpoints of {@code clusters} with a check are probed. */
    void update(Collection<Cluster> clusters);

    /** Stops every check. */
    void stop();

    /** Endpoints being checked now (for tests and the admin view). */
    int checkedEndpoints();
}
