package dev.meridian.engine.route;

import dev.meridian.engine.cluster.Cluster;

/**
 * A compiled route: the cluster that serves the requests it matched and the exchange timeout.
 *
 * @param name          the configured name, or {@code route-N} by position
 * @param cluster       the compiled cluster of the same snapshot
 * @param timeoutMillis time allowed from the request head until the response head (0: none)
 */
public record Route(String name, Cluster cluster, long timeoutMillis) {
}
