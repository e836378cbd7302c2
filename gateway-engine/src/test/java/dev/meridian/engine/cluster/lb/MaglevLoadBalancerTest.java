package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.cluster.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaglevLoadBalancerTest {

    private static final int KEYS = 100_000;

    private static long[] keys() {
        SplittableRandom random = new SplittableRandom(42);
        long[] keys = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = random.nextLong();
        }
        return keys;
    }

    @Test
    void sameHashGoesToTheSameEndpointAcrossTables() {
        LoadBalancer a = LoadBalancer.maglev(Endpoints.unweighted(7));
        LoadBalancer b = LoadBalancer.maglev(Endpoints.unweighted(7));
        for (long k : keys()) {
            assertThat(a.pick(k).address()).isEqualTo(b.pick(k).address());
        }
    }

    @Test
    void removingOneOfNMovesAboutOneNthOfTheKeys() {
        int n = 10;
        List<Endpoint> all = Endpoints.unweighted(n);
        List<Endpoint> without = new ArrayList<>(Endpoints.unweighted(n));
        without.remove(4);
        LoadBalancer before = LoadBalancer.maglev(all);
        LoadBalancer after = LoadBalancer.maglev(without);
        int moved = 0;
        for (long k : keys()) {
            if (!before.pick(k).address().equals(after.pick(k).address())) {
                moved++;
            }
        }
        assertThat((double) moved / KEYS).isLessThanOrEqualTo(1.0 / n + 0.01);
        // Keys of the removed endpoint must all move: at least its share.
        assertThat((double) moved / KEYS).isGreaterThanOrEqualTo(1.0 / n - 0.01);
    }

    @Test
    void spreadsKeysByWeight() {
        int[] weights = {1, 2, 3, 4};
        MaglevLoadBalancer lb = new MaglevLoadBalancer(Endpoints.weighted(weights), MaglevLoadBalancer.DEFAULT_TABLE_SIZE);
        int[] slots = lb.slotCounts();
        int[] picks = new int[weights.length];
        for (long k : keys()) {
            picks[lb.pick(k).index()]++;
        }
        for (int i = 0; i < weights.length; i++) {
            double share = weights[i] / 10.0;
            assertThat((double) slots[i] / MaglevLoadBalancer.DEFAULT_TABLE_SIZE).as("slots %d", i)
                    .isCloseTo(share, org.assertj.core.data.Offset.offset(0.02));
            assertThat((double) picks[i] / KEYS).as("picks %d", i)
                    .isCloseTo(share, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void spreadsSequentialKeysEvenly() {
        int[] counts = Endpoints.countPicks(LoadBalancer.maglev(Endpoints.unweighted(5)), KEYS);
        for (int c : counts) {
            assertThat((double) c / KEYS).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void skipsUnavailableEndpointsConsistentlyAndMovesOnlyTheirKeys() {
        List<Endpoint> eps = Endpoints.unweighted(5);
        LoadBalancer lb = LoadBalancer.maglev(eps);
        long[] keys = keys();
        String[] before = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            before[i] = lb.pick(keys[i]).address();
        }
        eps.get(2).state().setHealthy(false);
        int[] counts = new int[5];
        for (int i = 0; i < KEYS; i++) {
            Endpoint e = lb.pick(keys[i]);
            counts[e.index()]++;
            if (!before[i].equals(eps.get(2).address())) {
                assertThat(e.address()).isEqualTo(before[i]);
            }
            assertThat(lb.pick(keys[i])).isSameAs(e);
        }
        assertThat(counts[2]).isZero();
        // The down endpoint's keys spread over the others rather than piling onto one neighbour.
        for (int i : new int[] {0, 1, 3, 4}) {
            assertThat((double) counts[i] / KEYS).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void panicsToTheHashedEndpointWhenNoneIsAvailable() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        LoadBalancer lb = LoadBalancer.maglev(eps);
        Endpoint healthyChoice = lb.pick(12345);
        eps.forEach(e -> e.state().setHealthy(false));
        assertThat(lb.pick(12345)).isSameAs(healthyChoice);
    }

    @Test
    void handlesEmptyAndOversizedEndpointLists() {
        assertThat(LoadBalancer.maglev(List.of()).pick(1)).isNull();
        assertThatThrownBy(() -> new MaglevLoadBalancer(Endpoints.unweighted(8), 7))
                .hasMessage("endpoints: 8 (expected: at most the Maglev table size 7)");
    }
}
