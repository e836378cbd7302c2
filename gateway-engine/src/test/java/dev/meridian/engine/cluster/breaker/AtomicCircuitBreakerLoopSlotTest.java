package dev.meridian.engine.cluster.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.engine.internal.LoopLocal;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What each loop slot's lease lane keeps across reconfigures and across the loops that own the slot. */
class AtomicCircuitBreakerLoopSlotTest {

    private static BreakerLimits limits(int max) {
        return new BreakerLimits(max, max, max, max, null);
    }

    /** A thread whose home loop slot ({@code id mod SLOTS}) is {@code slot}: thread ids are handed out in sequence. */
    static Thread threadWithHomeSlot(int slot, Runnable task) {
        for (;;) {
            Thread t = new Thread(task);
            if ((int) t.getId() % LoopLocal.SLOTS == slot) {
                return t;
            }
        }
    }

    /**
     * Units a loop kept spare under a plan two reconfigures old are still given back before any
     * use: the lane is one generation behind another, not only behind the last one.
     */
    @Test
    void unitsKeptUnderAPlanTwoReconfiguresOldAreGivenBackBeforeAnyUse() {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        int loop = LoopLocal.currentSlot();
        assertThat(b.tryAcquireOn(loop, BreakerResource.REQUESTS)).isTrue(); // leases 16, keeps 15 spare
        b.releaseOn(loop, BreakerResource.REQUESTS); // 16 spare
        b.reconfigure(limits(2048));
        b.reconfigure(limits(3));
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(b.tryAcquireOn(loop, BreakerResource.REQUESTS)).as("unit %d", i).isTrue();
        }
        assertThat(b.tryAcquireOn(loop, BreakerResource.REQUESTS)).isFalse();
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            b.releaseOn(loop, BreakerResource.REQUESTS);
        }
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
    }

    /**
     * A loop that dies with units spare leaves them to the next owner of its slot, which uses
     * them: nothing stays stranded, so the whole threshold can still be taken.
     */
    @Test
    void aDeadLoopsSpareUnitsPassToTheNextOwnerOfItsSlot() throws Exception {
        CircuitBreaker b = CircuitBreaker.create(limits(128)); // chunks of 2
        AtomicInteger first = new AtomicInteger();
        Thread a = new Thread(() -> {
            first.set(LoopLocal.currentSlot());
            b.tryAcquireOn(first.get(), BreakerResource.REQUESTS);
            b.releaseOn(first.get(), BreakerResource.REQUESTS); // the whole chunk spare
        });
        a.start();
        a.join();
        assumeTrue(first.get() >= 0, "the first thread got no loop slot");
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();

        AtomicInteger second = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        Thread c = threadWithHomeSlot(first.get(), () -> {
            second.set(LoopLocal.currentSlot());
            while (b.tryAcquireOn(second.get(), BreakerResource.REQUESTS)) {
                taken.incrementAndGet();
            }
        });
        c.start();
        c.join();
        assumeTrue(second.get() == first.get(), "another thread took the dead loop's slot");
        assertThat(taken.get()).isEqualTo(128);
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(128);
    }

    /** A held set of all four resources gives each back, on the loop slot it recorded, in one releaseAll. */
    @Test
    void releaseAllGivesBackEveryResourceOfAHeldSet() {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        int held = 0;
        for (BreakerResource r : BreakerResource.values()) {
            held = b.tryAcquire(held, r);
            assertThat(held).as(r.key()).isPositive();
        }
        for (BreakerResource r : BreakerResource.values()) {
            assertThat(b.active(r)).as(r.key()).isEqualTo(1);
        }
        assertThat(b.releaseAll(held)).isZero();
        for (BreakerResource r : BreakerResource.values()) {
            assertThat(b.active(r)).as(r.key()).isZero();
        }
    }

    /** Callers without a loop slot never lease: every unit they take or give back is counted at once. */
    @Test
    void withoutALoopSlotEveryUnitGoesThroughTheSharedCounter() {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        for (int i = 0; i < 1024; i++) {
            assertThat(b.tryAcquireOn(LoopLocal.NO_SLOT, BreakerResource.REQUESTS)).as("unit %d", i).isTrue();
            assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(i + 1);
        }
        assertThat(b.tryAcquireOn(LoopLocal.NO_SLOT, BreakerResource.REQUESTS)).isFalse();
        b.releaseOn(LoopLocal.NO_SLOT, BreakerResource.REQUESTS);
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(1023);
        // The unit went straight back, so a loop can take it.
        assertThat(b.tryAcquireOn(LoopLocal.currentSlot(), BreakerResource.REQUESTS)).isTrue();
        assertThat(b.tryAcquireOn(LoopLocal.currentSlot(), BreakerResource.REQUESTS)).isFalse();
    }
}
