package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;

/** The fallback every balancer shares when its choice is unavailable. */
final class Availability {

    private Availability() {
    }

    /**
     * The first available endpoint scanning from {@code start} onwards (wrapping), or
     * {@code endpoints[start]} when none is available: panic mode, because routing to endpoints
     * believed down beats failing every request when health checks are wrong.
     */
    static Endpoint firstAvailableFrom(Endpoint[] endpoints, int start) {
        int n = endpoints.length;
        for (int k = 1; k < n; k++) {
            int i = start + k;
            Endpoint e = endpoints[i >= n ? i - n : i];
            if (e.available()) {
                return e;
            }
        }
        return endpoints[start];
    }
}
