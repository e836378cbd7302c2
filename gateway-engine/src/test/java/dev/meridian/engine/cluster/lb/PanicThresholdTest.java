package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.config.LbPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Availability, panic and retry avoidance, for every policy. */
class PanicThresholdTest {

    private static int[] counts(LoadBalancer lb, int picks) {
        return Endpoints.countPicks(lb, picks);
    }

    @Test
    void oneOfTwoDownIsNotPanicSoEveryPickGoesToTheOther() {
        for (LbPolicy p : LbPolicy.values()) {
            List<Endpoint> eps = Endpoints.unweighted(2);
            eps.get(0).state().setHealthy(false);
            LoadBalancer lb = LoadBalancer.of(p, eps);
            assertThat(counts(lb, 2000)).as(p.key()).containsExactly(0, 2000);
            assertThat(lb.panic()).as(p.key()).isFalse();
        }
    }

    @Test
    void ejectedEndpointsAreSkippedLikeUnhealthyOnes() {
        for (LbPolicy p : LbPolicy.values()) {
            List<Endpoint> eps = Endpoints.unweighted(4);
            eps.get(2).state().setEjected(true);
            assertThat(counts(LoadBalancer.of(p, eps), 4000)[2]).as(p.key()).isZero();
        }
    }

    @Test
    void belowTheThresholdEveryEndpointGetsTraffic() {
        for (LbPolicy p : LbPolicy.values()) {
            if (p == LbPolicy.MAGLEV) {
                continue; // Maglev keeps each key's own endpoint in panic; spread comes from many keys
            }
            List<Endpoint> eps = Endpoints.unweighted(4);
            eps.get(0).state().setHealthy(false);
            eps.get(1).state().setHealthy(false);
            eps.get(2).state().setEjected(true); // 1 of 4 available: 25% < 50%
            LoadBalancer lb = LoadBalancer.of(p, eps);
            assertThat(lb.panic()).isTrue();
            int[] c = counts(lb, 40_000);
            for (int i = 0; i < 4; i++) {
                assertThat(c[i]).as(p.key() + " endpoint " + i).isBetween(8_000, 12_000);
            }
        }
    }

    @Test
    void maglevInPanicSpreadsKeysOverAllEndpoints() {
        List<Endpoint> eps = Endpoints.unweighted(4);
        eps.get(0).state().setHealthy(false);
        eps.get(1).state().setHealthy(false);
        eps.get(2).state().setHealthy(false);
        int[] c = counts(LoadBalancer.maglev(eps), 40_000);
        for (int i = 0; i < 4; i++) {
            assertThat(c[i]).isBetween(8_000, 12_000);
        }
    }

    @Test
    void panicEndsWhenEndpointsRecover() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        eps.get(0).state().setHealthy(false);
        eps.get(1).state().setHealthy(false);
        LoadBalancer lb = LoadBalancer.roundRobin(eps);
        assertThat(lb.panic()).isTrue();
        eps.get(1).state().setHealthy(true);
        assertThat(lb.panic()).isFalse();
        assertThat(counts(lb, 3000)).containsExactly(0, 1500, 1500);
    }

    @Test
    void thresholdZeroDisablesPanicAndReturnsNullWhenNoneIsAvailable() {
        for (LbPolicy p : LbPolicy.values()) {
            List<Endpoint> eps = Endpoints.unweighted(3);
            eps.forEach(e -> e.state().setHealthy(false));
            LoadBalancer lb = LoadBalancer.of(p, eps, 0);
            assertThat(lb.pick(7)).as(p.key()).isNull();
            assertThat(lb.panic()).isFalse();
            eps.get(1).state().setHealthy(true);
            assertThat(lb.pick(7)).as(p.key()).isSameAs(eps.get(1));
        }
    }

    @Test
    void thresholdHundredPanicsAsSoonAsOneEndpointIsDown() {
        List<Endpoint> eps = Endpoints.unweighted(4);
        eps.get(3).state().setHealthy(false);
        LoadBalancer lb = LoadBalancer.of(LbPolicy.ROUND_ROBIN, eps, 100);
        assertThat(lb.panic()).isTrue();
        assertThat(counts(lb, 400)).containsExactly(100, 100, 100, 100);
    }

    @Test
    void aRetryAvoidsThePreviousEndpointWhenAnotherExists() {
        for (LbPolicy p : LbPolicy.values()) {
            List<Endpoint> eps = Endpoints.unweighted(3);
            LoadBalancer lb = LoadBalancer.of(p, eps);
            for (long h = 0; h < 2000; h++) {
                Endpoint first = lb.pick(h);
                assertThat(lb.pick(h, first)).as(p.key()).isNotSameAs(first).isNotNull();
            }
        }
    }

    @Test
    void aRetryAvoidsThePreviousEndpointEvenInPanic() {
        for (LbPolicy p : LbPolicy.values()) {
            List<Endpoint> eps = Endpoints.unweighted(3);
            eps.forEach(e -> e.state().setHealthy(false));
            LoadBalancer lb = LoadBalancer.of(p, eps);
            for (long h = 0; h < 500; h++) {
                assertThat(lb.pick(h, eps.get(0))).as(p.key()).isNotSameAs(eps.get(0));
            }
        }
    }

    @Test
    void aRetryReturnsTheAvoidedEndpointWhenItIsTheOnlyUsableOne() {
        for (LbPolicy p : LbPolicy.values()) {
            List<Endpoint> one = Endpoints.unweighted(1);
            assertThat(LoadBalancer.of(p, one).pick(1, one.get(0))).as(p.key()).isSameAs(one.get(0));

            List<Endpoint> two = Endpoints.unweighted(2);
            two.get(1).state().setHealthy(false); // 50%: not panic, so only endpoint 0 is usable
            assertThat(LoadBalancer.of(p, two).pick(1, two.get(0))).as(p.key()).isSameAs(two.get(0));
        }
    }

    @Test
    void anAvoidedEndpointFromAnOlderSnapshotIsHarmless() {
        List<Endpoint> old = Endpoints.unweighted(2);
        List<Endpoint> eps = Endpoints.unweighted(2);
        for (LbPolicy p : LbPolicy.values()) {
            assertThat(LoadBalancer.of(p, eps).pick(3, old.get(0))).as(p.key()).isIn(eps);
        }
    }
}
