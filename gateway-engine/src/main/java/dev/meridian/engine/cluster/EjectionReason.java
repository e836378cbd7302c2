package dev.meridian.engine.cluster;

/** Why outlier detection ejected an endpoint; shown by stats and the dashboard. */
public enum EjectionReason {
    /** {@code consecutive_5xx} 5xx responses (gateway failures count as 5xx too, as in Envoy). */
    CONSECUTIVE_5XX("consecutive_5xx"),
    /** {@code consecutive_gateway_failure} connect errors, resets, timeouts or 502/503/504 responses. */
    CONSECUTIVE_GATEWAY_FAILURE("consecutive_gateway_failure");

    private final String key;

    EjectionReason(String key) {
        this.key = key;
    }

    /** The name stats and the dashboard use, matching the config key of the detector. */
    public String key() {
        return key;
    }
}
