package dev.meridian.engine.cluster;

import dev.meridian.engine.cluster.lb.LoadBalancer;
import dev.meridian.engine.config.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A compiled cluster: its endpoints, the balancer that picks among them, and the connection
 * settings its upstream pools apply. Immutable; one instance per cluster per runtime snapshot.
 */
public final class Cluster {

    private final String name;
    private final List<Endpoint> endpoints;
    private final LoadBalancer loadBalancer;
    private final int connectTimeoutMs;
    private final int maxConnectionsPerEndpoint;
    private final long poolIdleTimeoutNanos;
    private final byte[][] hostHeaders;

    public Cluster(ClusterSpec spec, List<Endpoint> endpoints, LoadBalancer loadBalancer) {
        this.name = spec.name();
        this.endpoints = List.copyOf(endpoints);
        this.loadBalancer = loadBalancer;
        this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, spec.connectTimeoutMs());
        this.maxConnectionsPerEndpoint = spec.maxConnectionsPerEndpoint();
        this.poolIdleTimeoutNanos = spec.poolIdleTimeoutMs() * 1_000_000L;
        int max = 0;
        for (Endpoint e : endpoints) {
            max = Math.max(max, e.index() + 1);
        }
        this.hostHeaders = new byte[max][];
        for (Endpoint e : endpoints) {
            hostHeaders[e.index()] = e.address().getBytes(StandardCharsets.US_ASCII);
        }
    }

    public String name() {
        return name;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public LoadBalancer loadBalancer() {
        return loadBalancer;
    }

    public int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** The most connections to one endpoint that all event loops together may hold open. */
    public int maxConnectionsPerEndpoint() {
        return maxConnectionsPerEndpoint;
    }

    public long poolIdleTimeoutNanos() {
        return poolIdleTimeoutNanos;
    }

    /**
     * The {@code Host} value to send to {@code endpoint} when the client sent none (HTTP/1.0):
     * its configured {@code host:port}, as RFC 9112 §3.2 asks of a client that has no other.
     */
    public byte[] hostHeader(Endpoint endpoint) {
        return hostHeaders[endpoint.index()];
    }
}
