package dev.meridian.engine.runtime;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.route.Route;
import dev.meridian.engine.route.RouteTable;
import java.util.Map;

/**
 * The compiled form of one {@link GatewaySnapshot}: what a request reads, once, when it starts.
 *
 * @param spec     the snapshot it was compiled from
 * @param routes   the route table
 * @param clusters compiled clusters by name
 * @param version  increases by one with every applied snapshot
 */
public record RuntimeSnapshot(GatewaySnapshot spec, RouteTable<Route> routes, Map<String, Cluster> clusters,
                              long version) {
}
