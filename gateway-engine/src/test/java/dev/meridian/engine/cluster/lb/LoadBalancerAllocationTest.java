package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.internal.LoopLocal;
import dev.meridian.engine.config.LbPolicy;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerAllocationTest {

    private static long allocatedBy(Runnable body) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        body.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void picksAllocateNothing() {
        List<Endpoint> eps = Endpoints.weighted(5, 1, 1, 3);
        eps.get(1).state().setHealthy(false); // exercise the skip paths too
        for (LbPolicy policy : LbPolicy.values()) {
            LoadBalancer lb = LoadBalancer.of(policy, eps);
            Runnable loop = () -> {
                for (long i = 0; i < 100_000; i++) {
                    Endpoint e = lb.pick(i);
                    e.requestStarted();
                    e.requestEnded();
                    Endpoint retry = lb.pick(i, e); // the retry path avoids e
                    retry.requestStarted();
                    retry.requestEnded();
                    lb.pick(LoopLocal.currentSlot(), i, e); // the proxy's: its loop slot handed in
                }
            };
            loop.run();
            assertThat(allocatedBy(loop)).as(policy.key()).isLessThan(4096);
        }
    }

    @Test
    void picksInPanicAllocateNothing() {
        List<Endpoint> eps = Endpoints.weighted(5, 1, 1, 3);
        eps.get(0).state().setHealthy(false);
        eps.get(1).state().setEjected(true);
        eps.get(2).state().setHealthy(false); // 1 of 4 available: panic
        for (LbPolicy policy : LbPolicy.values()) {
            LoadBalancer lb = LoadBalancer.of(policy, eps);
            Runnable loop = () -> {
                for (long i = 0; i < 100_000; i++) {
                    lb.pick(i, eps.get(3));
                }
            };
            loop.run();
            assertThat(allocatedBy(loop)).as(policy.key()).isLessThan(4096);
        }
    }
}
