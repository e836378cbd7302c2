package dev.meridian.engine.cluster.outlier;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.Ticker;
import java.util.List;

/**
 * Passive health checking for one cluster: watches the outcome of real requests and ejects an
 * endpoint (balancers skip it) after a run of consecutive 5xx responses or gateway failures, for
 * a base time multiplied by how often it was ejected recently, never more than a maximum share of
 * the cluster at once.
 *
 * <p>The proxy reports every attempt's outcome, from its event loop, without locks:
 * {@link #onResponse} for each response head, {@link #onGatewayFailure} for connect errors,
 * resets and timeouts. Ejected endpoints return when their time is up, which {@link #sweep}
 * notices; the engine calls it every {@link OutlierConfig#intervalMs()}.
 *
 * <p>The state lives in each endpoint's {@link dev.meridian.engine.cluster.EndpointState}, so it
 * survives reloads; the detector itself is kept across reloads while its cluster's name persists
 * and {@linkplain #reconfigure reconfigured} with the new endpoints and settings.
 */
public interface OutlierDetector {

    /** A detector for {@code endpoints} with {@code config}, reading time from {@code ticker}. */
    static OutlierDetector create(OutlierConfig config, List<Endpoint> endpoints, Ticker ticker) {
        return new ConsecutiveFailureDetector(config, endpoints, ticker);
    }

    /**
     * One response head from {@code endpoint}: 5xx continue the 5xx run, 502/503/504 also the
     * gateway-failure run, anything else ends both runs.
     */
    void onResponse(Endpoint endpoint, int status);

    /** A failure with no response (connect error or timeout, reset, response timeout). */
    void onGatewayFailure(Endpoint endpoint, GatewayFailure kind);

    /** A success without a status to report (same as a 2xx response): ends both failure runs. */
    void onSuccess(Endpoint endpoint);

    /**
     * Returns endpoints whose ejection time has passed and lets recent ejections fade (one per
     * base ejection time back in service); call every {@link OutlierConfig#intervalMs()} ms from
     * any thread. Returns how many endpoints came back.
     */
    int sweep();

    /** Endpoints of this cluster ejected now. */
    int ejectedCount();

    /** Ejections for {@code reason} since the detector was created (the ejection stat). */
    long ejections(dev.meridian.engine.cluster.EjectionReason reason);

    /** Ejections not made because the cluster already had its maximum share ejected. */
    long ejectionsSkippedByMaxPercent();

    OutlierConfig config();

    /** Applies new settings and endpoints (after a reload); the endpoints' state carries over. */
    void reconfigure(OutlierConfig config, List<Endpoint> endpoints);
}
