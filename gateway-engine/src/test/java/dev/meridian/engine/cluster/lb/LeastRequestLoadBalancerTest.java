package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastRequestLoadBalancerTest {

    @Test
    void avoidsTheBusiestEndpoint() {
        List<Endpoint> eps = Endpoints.unweighted(4);
        for (int i = 0; i < 50; i++) {
            eps.get(2).requestStarted();
        }
        eps.get(0).requestStarted();
        int[] counts = Endpoints.countPicks(LoadBalancer.leastRequest(eps), 10_000);
        assertThat(counts[2]).isLessThan(500); // < 5%
        // With two distinct choices the busiest of four is never the lesser of a pair.
        assertThat(counts[2]).isZero();
        // Endpoint 0 (one in flight) loses to 1 and 3 (idle) but beats 2.
        assertThat(counts[0]).isLessThan(counts[1]).isLessThan(counts[1] + counts[3]);
    }

    @Test
    void spreadsEvenlyWhenIdle() {
        int[] counts = Endpoints.countPicks(LoadBalancer.leastRequest(Endpoints.unweighted(4)), 100_000);
        for (int c : counts) {
            assertThat(c).isBetween(23_500, 26_500);
        }
    }

    @Test
    void comparesLoadPerUnitOfWeightWhenWeightsDiffer() {
        List<Endpoint> eps = Endpoints.weighted(4, 1);
        // Effective loads: (3 + 1) / 4 = 1 beats (1 + 1) / 1 = 2, despite more requests in flight.
        for (int i = 0; i < 3; i++) {
            eps.get(0).requestStarted();
        }
        eps.get(1).requestStarted();
        int[] counts = Endpoints.countPicks(LoadBalancer.leastRequest(eps), 1_000);
        assertThat(counts[0]).isEqualTo(1_000);
    }

    @Test
    void heavierEndpointWinsTiesBetweenIdleEndpoints() {
        int[] counts = Endpoints.countPicks(LoadBalancer.leastRequest(Endpoints.weighted(1, 2)), 1_000);
        assertThat(counts[1]).isEqualTo(1_000);
    }

    @Test
    void skipsUnavailableEndpoints() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        eps.get(0).state().setHealthy(false);
        eps.get(1).requestStarted(); // would lose to 0 on load, but 0 is down
        int[] counts = Endpoints.countPicks(LoadBalancer.leastRequest(eps), 10_000);
        assertThat(counts[0]).isZero();
        assertThat(counts[1] + counts[2]).isEqualTo(10_000);
    }

    @Test
    void panicsToAnyEndpointWhenNoneIsAvailable() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        eps.forEach(e -> e.state().setHealthy(false));
        assertThat(LoadBalancer.leastRequest(eps).pick(0)).isNotNull();
    }

    @Test
    void handlesZeroAndOneEndpoint() {
        assertThat(LoadBalancer.leastRequest(List.of()).pick(0)).isNull();
        List<Endpoint> one = Endpoints.unweighted(1);
        assertThat(LoadBalancer.leastRequest(one).pick(0)).isSameAs(one.get(0));
    }
}
