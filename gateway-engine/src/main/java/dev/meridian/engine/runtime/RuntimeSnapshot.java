package dev.meridian.engine.runtime;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.filter.FilterChain;
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
 * @param listenerFilters each listener's compiled {@code filter_chain}, by listener name (a
 *     connection looks its listener's up once per snapshot, not per request)
 */
public record RuntimeSnapshot(GatewaySnapshot spec, RouteTable<Route> routes, Map<String, Cluster> clusters,
                              long version, Map<String, FilterChain> listenerFilters) {

    /** A snapshot whose listeners have no filters. */
    public RuntimeSnapshot(GatewaySnapshot spec, RouteTable<Route> routes, Map<String, Cluster> clusters,
                           long version) {
        this(spec, routes, clusters, version, Map.of());
    }

    /** The filter chain of listener {@code name}: {@link FilterChain#EMPTY} when it has none. */
    public FilterChain listenerFilters(String name) {
        FilterChain chain = listenerFilters.get(name);
        return chain == null ? FilterChain.EMPTY : chain;
    }
}
