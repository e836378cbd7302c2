package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.internal.LoopLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class RoundRobinLoadBalancerTest {

    private static String picks(LoadBalancer lb, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append((char) ('a' + lb.pick(0).index()));
        }
        return sb.toString();
    }

    @Test
    void interleavesWeightsExactlyAsNginxDoes() {
        // nginx's documented example for weights 5:1:1 (ngx_http_upstream_round_robin.c).
        LoadBalancer lb = LoadBalancer.roundRobin(Endpoints.weighted(5, 1, 1));
        assertThat(picks(lb, 14)).isEqualTo("aabacaa" + "aabacaa");
    }

    @Test
    void cyclesEvenlyWhenWeightsAreEqual() {
        assertThat(picks(LoadBalancer.roundRobin(Endpoints.unweighted(3)), 7)).isEqualTo("abcabca");
        // 4:4:4 reduces to 1:1:1 by the gcd.
        assertThat(new RoundRobinLoadBalancer(Endpoints.weighted(4, 4, 4)).sequence()).containsExactly(0, 1, 2);
    }

    @Test
    void honoursWeightsWithinOnePercentOver100000Picks() {
        int[] weights = {7, 3, 11, 1, 29};
        int[] counts = Endpoints.countPicks(LoadBalancer.roundRobin(Endpoints.weighted(weights)), 100_000);
        int total = 51;
        for (int i = 0; i < weights.length; i++) {
            double expected = 100_000.0 * weights[i] / total;
            assertThat((double) counts[i]).as("endpoint %d", i).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
        }
    }

    @Test
    void scalesVeryLongCyclesWhileKeepingProportions() {
        int[] weights = new int[200];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 999 - i; // sum ~ 180,000, beyond the cap, gcd 1
        }
        int[] seq = new RoundRobinLoadBalancer(Endpoints.weighted(weights)).sequence();
        assertThat(seq.length).isLessThanOrEqualTo(RoundRobinLoadBalancer.MAX_SEQUENCE_LENGTH + weights.length);
        int[] counts = new int[weights.length];
        for (int i : seq) {
            counts[i]++;
        }
        double ratio = (double) counts[0] / counts[199];
        assertThat(ratio).isCloseTo(999.0 / 800, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void skipsUnavailableEndpoints() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        eps.get(1).state().setHealthy(false);
        assertThat(picks(LoadBalancer.roundRobin(eps), 6)).doesNotContain("b").hasSize(6);
    }

    @Test
    void fallsBackToItsChoiceWhenNothingIsAvailable() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        eps.forEach(e -> e.state().setHealthy(false));
        assertThat(picks(LoadBalancer.roundRobin(eps), 3)).isEqualTo("abc");
    }

    @Test
    void returnsNullWithoutEndpoints() {
        assertThat(LoadBalancer.roundRobin(List.of()).pick(0)).isNull();
    }

    @Test
    void concurrentPicksKeepTheDistributionExact() throws Exception {
        LoadBalancer lb = LoadBalancer.roundRobin(Endpoints.weighted(2, 1));
        AtomicIntegerArray counts = new AtomicIntegerArray(2);
        int threads = 4;
        int perThread = 30_000;
        CountDownLatch done = new CountDownLatch(threads);
        Set<Throwable> failures = ConcurrentHashMap.newKeySet();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        counts.incrementAndGet(lb.pick(0).index());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
            started.add(thread);
            thread.start();
        }
        done.await();
        assertThat(failures).isEmpty();
        // 120,000 picks over a cycle of 3: exactly 2/3 and 1/3, whatever the interleaving.
        assertThat(counts.get(0)).isEqualTo(80_000);
        assertThat(counts.get(1)).isEqualTo(40_000);
    }

    /** Each event loop walks the cycle on its own, so each one alone follows the weights. */
    @Test
    void eachLoopFollowsTheWeightsWithinOnePercent() throws Exception {
        int[] weights = {7, 3, 11, 1, 29};
        LoadBalancer lb = LoadBalancer.roundRobin(Endpoints.weighted(weights));
        int threads = 4;
        int[][] counts = new int[threads][];
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread thread = new Thread(() -> counts[me] = Endpoints.countPicks(lb, 100_000));
            started.add(thread);
            thread.start();
        }
        for (Thread t : started) {
            t.join();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < weights.length; i++) {
                double expected = 100_000.0 * weights[i] / 51;
                assertThat((double) counts[t][i]).as("loop %d, endpoint %d", t, i)
                        .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
            }
        }
    }

    /** After a swap, the loops' first requests do not all go to the head of the cycle. */
    @Test
    void loopsStartAtDifferentPointsOfTheCycle() throws Exception {
        LoadBalancer lb = LoadBalancer.roundRobin(Endpoints.unweighted(8));
        Set<Integer> first = ConcurrentHashMap.newKeySet();
        CountDownLatch end = new CountDownLatch(1);
        List<Thread> loops = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            CountDownLatch picked = new CountDownLatch(1);
            Thread thread = new Thread(() -> {
                first.add(lb.pick(0).index());
                picked.countDown();
                try {
                    end.await(); // loops stay alive: a dead loop's slot, and its cursor, pass on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loops.add(thread);
            thread.start();
            picked.await(); // one after another: the claim order, hence the offsets, is fixed
        }
        end.countDown();
        for (Thread t : loops) {
            t.join();
        }
        assertThat(first).hasSize(4).contains(0);
    }

    @Test
    void aLoopStillSkipsUnavailableAndAvoidedEndpoints() {
        List<Endpoint> eps = Endpoints.weighted(3, 1, 1);
        eps.get(1).state().setHealthy(false);
        LoadBalancer lb = LoadBalancer.roundRobin(eps);
        for (int i = 0; i < 50; i++) {
            Endpoint e = lb.pick(0, eps.get(0));
            assertThat(e.index()).isEqualTo(2); // a is avoided, b is down: only c is left
        }
    }

    /** The proxy hands its loop slot in: the same cursor as a pick that finds it from the thread. */
    @Test
    void aPickOnTheHandedInLoopSlotWalksTheLoopsOwnCursor() {
        LoadBalancer lb = LoadBalancer.roundRobin(Endpoints.weighted(5, 1, 1));
        int loop = LoopLocal.currentSlot();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            Endpoint e = i % 2 == 0 ? lb.pick(loop, 0, null) : lb.pick(0);
            sb.append((char) ('a' + e.index()));
        }
        assertThat(sb).hasToString("aabacaa" + "aabacaa");
    }

    @Test
    void withoutALoopSlotPicksShareOneCounterAndKeepTheWeights() {
        int[] weights = {7, 3, 11, 1, 29};
        LoadBalancer lb = LoadBalancer.roundRobin(Endpoints.weighted(weights));
        int[] counts = new int[weights.length];
        for (int i = 0; i < 100_000; i++) {
            counts[lb.pick(LoopLocal.NO_SLOT, i, null).index()]++;
        }
        for (int i = 0; i < weights.length; i++) {
            double expected = 100_000.0 * weights[i] / 51;
            assertThat((double) counts[i]).as("endpoint %d", i).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
        }
    }

    @Test
    void aPickOnALoopSlotStillSkipsUnavailableAndAvoidedEndpoints() {
        List<Endpoint> eps = Endpoints.weighted(3, 1, 1);
        eps.get(1).state().setHealthy(false);
        LoadBalancer lb = LoadBalancer.roundRobin(eps);
        int loop = LoopLocal.currentSlot();
        for (int i = 0; i < 50; i++) {
            assertThat(lb.pick(loop, 0, eps.get(0)).index()).isEqualTo(2);
            assertThat(lb.pick(LoopLocal.NO_SLOT, 0, eps.get(0)).index()).isEqualTo(2);
        }
        LoadBalancer empty = LoadBalancer.roundRobin(List.of());
        assertThat(empty.pick(loop, 0, null)).isNull();
        assertThat(empty.pick(loop, 0, null)).as("the loop's second pick").isNull();
        assertThat(LoadBalancer.roundRobin(List.of()).pick(LoopLocal.NO_SLOT, 0, null)).isNull();
    }

    /**
     * A loop that found every endpoint up stops reading their state, but only until availability
     * changes: an endpoint that goes down afterwards is skipped from the very next pick, and
     * picked again once it is back.
     */
    @Test
    void anEndpointThatGoesDownAfterTheLoopFoundAllUpIsSkippedFromTheNextPick() {
        List<Endpoint> eps = Endpoints.unweighted(3);
        LoadBalancer lb = LoadBalancer.roundRobin(eps);
        int loop = LoopLocal.currentSlot();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append((char) ('a' + lb.pick(loop, 0, null).index()));
        }
        assertThat(sb).hasToString("abc"); // all up: the cached verdict is in use now

        eps.get(1).state().setEjected(true);
        sb.setLength(0);
        for (int i = 0; i < 6; i++) {
            sb.append((char) ('a' + lb.pick(loop, 0, null).index()));
        }
        assertThat(sb.toString()).doesNotContain("b").hasSize(6);

        eps.get(1).state().setEjected(false);
        sb.setLength(0);
        for (int i = 0; i < 6; i++) {
            sb.append((char) ('a' + lb.pick(loop, 0, null).index()));
        }
        assertThat(sb.toString()).contains("b");
    }

    /** A loop that dies leaves its cursor to the next owner of its slot, which goes on where it stopped. */
    @Test
    void aDeadLoopsCursorPassesToTheNextOwnerOfItsSlot() throws Exception {
        LoadBalancer lb = LoadBalancer.roundRobin(Endpoints.weighted(5, 1, 1));
        AtomicInteger first = new AtomicInteger();
        StringBuilder sb = new StringBuilder();
        Thread a = new Thread(() -> {
            first.set(LoopLocal.currentSlot());
            for (int i = 0; i < 3; i++) {
                sb.append((char) ('a' + lb.pick(first.get(), 0, null).index()));
            }
        });
        a.start();
        a.join();
        assumeTrue(first.get() >= 0, "the first thread got no loop slot");

        AtomicInteger second = new AtomicInteger();
        Thread b;
        do {
            b = new Thread(() -> {
                second.set(LoopLocal.currentSlot());
                for (int i = 0; i < 4; i++) {
                    sb.append((char) ('a' + lb.pick(second.get(), 0, null).index()));
                }
            });
        } while ((int) b.getId() % LoopLocal.SLOTS != first.get()); // thread ids come in sequence
        b.start();
        b.join();
        assumeTrue(second.get() == first.get(), "another thread took the dead loop's slot");
        // A fresh cursor for the second loop would start elsewhere in the cycle (it is the second to start).
        assertThat(sb).hasToString("aab" + "acaa");
    }
}
