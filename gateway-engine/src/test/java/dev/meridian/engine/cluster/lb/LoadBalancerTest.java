package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.internal.LoopLocal;
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

    /** A handed-in loop slot changes which state a pick uses, never which endpoints it may return. */
    @Test
    void everyPolicyPicksOnAHandedInLoopSlotAsWithoutOne() {
        List<Endpoint> eps = Endpoints.weighted(2, 1, 1, 1);
        eps.get(2).state().setEjected(true);
        int loop = LoopLocal.currentSlot();
        for (LbPolicy p : LbPolicy.values()) {
            LoadBalancer lb = LoadBalancer.of(p, eps);
            for (long h = 0; h < 1_000; h++) {
                assertThat(lb.pick(loop, h, eps.get(0))).as(p.key()).isIn(eps.get(1), eps.get(3));
                assertThat(lb.pick(LoopLocal.NO_SLOT, h, eps.get(0))).as(p.key()).isIn(eps.get(1), eps.get(3));
            }
            if (p == LbPolicy.MAGLEV) {
                // Hashing ignores loop state: the same key lands on the same endpoint either way.
                assertThat(lb.pick(loop, 42, null)).isSameAs(lb.pick(42));
            }
        }
    }
}
