package dev.meridian.admin.health;

import dev.meridian.engine.GatewayEngine;
import dev.meridian.engine.ListenerStatus;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Reports the data plane as the {@code engine} health component: UP when the engine runs and every
 * listener of its current snapshot is bound, DOWN otherwise.
 *
 * <p>It belongs in the readiness group: a gateway whose listener failed to bind must not receive
 * traffic, but restarting it (what a failed liveness probe does) would not fix a port conflict.
 * Details name each listener with its configured and bound address, so a probe failure says which
 * listener is at fault. The management port is local by default, which is why addresses may show.
 */
public final class EngineHealthIndicator implements HealthIndicator {

    private final GatewayEngine engine;

    public EngineHealthIndicator(GatewayEngine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        if (!engine.isRunning()) {
            return Health.down().withDetail("running", false).build();
        }
        List<ListenerStatus> listeners = engine.listeners();
        boolean allBound = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (ListenerStatus listener : listeners) {
            allBound &= listener.bound();
            details.put(listener.name(), describe(listener));
        }
        Health.Builder health = allBound ? Health.up() : Health.down();
        return health.withDetail("running", true).withDetail("listeners", details).build();
    }

    private static Map<String, Object> describe(ListenerStatus listener) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("address", listener.address());
        detail.put("bound", listener.bound());
        InetSocketAddress bound = listener.boundAddress();
        if (bound != null) {
            detail.put("boundAddress", hostPort(bound));
        }
        return detail;
    }

    /**
     * {@code host:port} as people write it in a config file ({@code [::]:8080} for IPv6), where
     * {@link InetSocketAddress#toString()} would print {@code /0.0.0.0:8080}.
     */
    public static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
