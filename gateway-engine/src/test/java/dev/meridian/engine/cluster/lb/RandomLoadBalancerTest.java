package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.meridian.engine.cluster.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomLoadBalancerTest {

    private static final int PICKS = 100_000;

    @Test
    void weightedPicksFollowTheWeightsWithinOnePercent() {
        int[] weights = {5, 1, 3, 1};
        int[] counts = Endpoints.countPicks(LoadBalancer.random(Endpoints.weighted(weights)), PICKS);
        for (int i = 0; i < weights.length; i++) {
            assertThat((double) counts[i] / PICKS).isCloseTo(weights[i] / 10.0, offset(0.01));
        }
    }

    @Test
    void equalWeightsSpreadEvenly() {
        int[] counts = Endpoints.countPicks(LoadBalancer.random(Endpoints.unweighted(4)), PICKS);
        for (int c : counts) {
            assertThat((double) c / PICKS).isCloseTo(0.25, offset(0.01));
        }
    }

    @Test
    void theShareOfADownEndpointGoesToTheOthersByWeight() {
        List<Endpoint> eps = Endpoints.weighted(1, 2, 2, 4);
        eps.get(0).state().setHealthy(false);
        int[] counts = Endpoints.countPicks(LoadBalancer.random(eps), PICKS);
        assertThat(counts[0]).isZero();
        assertThat((double) counts[1] / PICKS).isCloseTo(0.25, offset(0.015));
        assertThat((double) counts[3] / PICKS).isCloseTo(0.50, offset(0.015));
    }

    @Test
    void returnsNullWithoutEndpoints() {
        assertThat(LoadBalancer.random(List.of()).pick(0)).isNull();
    }
}
