package dev.meridian.engine.config;

import java.util.List;

/**
 * The complete, immutable configuration the engine serves from: listeners, clusters and routes.
 *
 * <p>Admin assembles one from the config database, the file loader builds one from TOML or YAML;
 * either way the engine checks it whole ({@link SnapshotValidator}, filter entries by the filters'
 * factories) before {@code GatewayEngine.apply} compiles it.
 */
public record GatewaySnapshot(List<ListenerSpec> listeners, List<ClusterSpec> clusters, List<RouteSpec> routes) {

    public GatewaySnapshot {
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}
