package dev.meridian.engine.config;

/** One upstream endpoint of a cluster: a {@code host:port} address and its balancing weight (default 1). */
public record EndpointSpec(String address, Integer weight) {

    public static final int DEFAULT_WEIGHT = 1;

    public EndpointSpec {
        weight = weight == null ? DEFAULT_WEIGHT : weight;
    }

    public static EndpointSpec of(String address) {
        return new EndpointSpec(address, null);
    }
}
