package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.config.LbPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {

    @Test
    void ofBuildsThePolicyNamed() {
        List<Endpoint> eps = Endpoints.unweighted(2);
        assertThat(LoadBalancer.of(LbPolicy.ROUND_ROBIN, eps)).isInstanceOf(RoundRobinLoadBalancer.class);
        assertThat(LoadBalancer.of(LbPolicy.LEAST_REQUEST, eps)).isInstanceOf(LeastRequestLoadBalancer.class);
        assertThat(LoadBalancer.of(LbPolicy.RANDOM, eps)).isInstanceOf(RandomLoadBalancer.class);
        assertThat(LoadBalancer.of(LbPolicy.MAGLEV, eps)).isInstanceOf(MaglevLoadBalancer.class);
    }

    @Test
    void everyPolicyExposesItsEndpointsInOrder() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        for (LbPolicy p : LbPolicy.values()) {
            assertThat(LoadBalancer.of(p, eps).endpoints()).containsExactlyElementsOf(eps);
        }
    }
}
