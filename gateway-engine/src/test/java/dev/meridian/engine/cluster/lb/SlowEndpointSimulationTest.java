package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Endpoint;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Least request against round-robin when one endpoint is slow, as a discrete-time simulation:
 * each tick a few requests arrive and are picked; each holds its endpoint (active count) for that
 * endpoint's service time. No clocks, no sockets: only the balancers' reaction to active counts.
 */
class SlowEndpointSimulationTest {

    private static final int TICKS = 20_000;
    private static final int ARRIVALS_PER_TICK = 3;
    private static final int FAST_TICKS = 2;
    private static final int SLOW_TICKS = 20;

    /** Fraction of requests the balancer sent to endpoint 0, which is ten times slower. */
    private static double shareOfSlowEndpoint(LoadBalancer lb, List<Endpoint> eps) {
        @SuppressWarnings("unchecked")
        ArrayDeque<Endpoint>[] finishing = new ArrayDeque[TICKS + SLOW_TICKS + 1];
        long toSlow = 0;
        long total = 0;
        for (int t = 0; t < TICKS; t++) {
            if (finishing[t] != null) {
                finishing[t].forEach(Endpoint::requestEnded);
            }
            for (int a = 0; a < ARRIVALS_PER_TICK; a++) {
                Endpoint e = lb.pick(t * 31L + a);
                e.requestStarted();
                int done = t + (e == eps.get(0) ? SLOW_TICKS : FAST_TICKS);
                if (finishing[done] == null) {
                    finishing[done] = new ArrayDeque<>();
                }
                finishing[done].add(e);
                total++;
                if (e == eps.get(0)) {
                    toSlow++;
                }
            }
        }
        return (double) toSlow / total;
    }

    @Test
    void leastRequestSendsMeasurablyFewerRequestsToASlowEndpointThanRoundRobin() {
        List<Endpoint> rrEps = Endpoints.unweighted(4);
        double roundRobin = shareOfSlowEndpoint(LoadBalancer.roundRobin(rrEps), rrEps);
        List<Endpoint> p2cEps = Endpoints.unweighted(4);
        double leastRequest = shareOfSlowEndpoint(LoadBalancer.leastRequest(p2cEps), p2cEps);

        assertThat(roundRobin).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.001));
        // Measurably fewer: at most 60% of round-robin's share.
        assertThat(leastRequest).isLessThan(roundRobin * 0.6);
    }
}
