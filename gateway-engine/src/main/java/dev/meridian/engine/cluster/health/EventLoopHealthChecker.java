package dev.meridian.engine.cluster.health;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.EndpointState;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link HealthChecker} with one {@link HealthCheckTarget} per checked endpoint, keyed by the
 * endpoint's {@link EndpointState} (which the snapshot compiler carries over by address), so a
 * reload that keeps an endpoint and its check keeps its probe schedule and counters.
 *
 * <p>{@link #update} and {@link #stop} run on the config thread and are synchronized with each
 * other (never with probes, which run on event loops and touch only their own target).
 */
final class EventLoopHealthChecker implements HealthChecker {

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private Map<EndpointState, HealthCheckTarget> targets = new IdentityHashMap<>();

    EventLoopHealthChecker(EventLoopGroup group, Class<? extends Channel> channelType) {
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
    }

    @Override
    public synchronized void update(Collection<Cluster> clusters) {
        Map<EndpointState, HealthCheckTarget> next = new IdentityHashMap<>();
        for (Cluster cluster : clusters) {
            HealthCheckConfig config = cluster.healthCheck();
            if (config == null) {
                continue;
            }
            for (Endpoint e : cluster.endpoints()) {
                EndpointState key = e.state();
                if (next.containsKey(key)) {
                    continue;
                }
                HealthCheckTarget t = targets.get(key);
                if (t != null && t.config().equals(config)) {
                    targets.remove(key);
                    t.retarget(e); // unchanged: keep schedule and counters
                } else {
                    // New endpoint, or its check changed: probe at a random point of the first
                    // interval so a reload does not fire every probe at once.
                    t = new HealthCheckTarget(group.next(), channelType, e, config);
                    t.start(ThreadLocalRandom.current().nextLong(config.intervalMs() + 1));
                }
                next.put(key, t);
            }
        }
        for (Map.Entry<EndpointState, HealthCheckTarget> dropped : targets.entrySet()) {
            // A check replaced by a changed one keeps the endpoint's verdict; one removed outright
            // must not leave its endpoint marked down forever.
            dropped.getValue().stop(!next.containsKey(dropped.getKey()));
        }
        targets = next;
    }

    @Override
    public synchronized void stop() {
        for (HealthCheckTarget t : targets.values()) {
            t.stop(true);
        }
        targets = new IdentityHashMap<>();
    }

    @Override
    public synchronized int checkedEndpoints() {
        return targets.size();
    }

    /** The target checking {@code endpoint}, for tests. */
    synchronized HealthCheckTarget target(Endpoint endpoint) {
        return targets.get(endpoint.state());
    }
}
