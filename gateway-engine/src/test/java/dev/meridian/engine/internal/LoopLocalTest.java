package dev.meridian.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopLocalTest {

    private static final class Counter extends LoopLocal.Slot {
        int n;

        Counter(Thread owner) {
            super(owner);
        }
    }

    private static Counter runOn(Thread thread, AtomicReference<Counter> out) throws InterruptedException {
        thread.start();
        thread.join();
        return out.get();
    }

    @Test
    void aThreadKeepsItsOwnSlot() {
        LoopLocal<Counter> local = LoopLocal.create(Counter::new);
        Counter mine = local.get();
        mine.n++;
        assertThat(local.get()).isSameAs(mine);
        assertThat(local.get().n).isEqualTo(1);
        assertThat(local.claimed()).isEqualTo(1);
    }

    @Test
    void aThreadWhoseHomeSlotALiveThreadOwnsGetsAnotherSlotOfItsOwn() throws Exception {
        LoopLocal<Counter> local = LoopLocal.create(Counter::new);
        AtomicReference<Counter> first = new AtomicReference<>();
        AtomicReference<Counter> second = new AtomicReference<>();
        AtomicInteger firstSlot = new AtomicInteger();
        AtomicInteger secondSlot = new AtomicInteger();
        AtomicInteger secondSlotAgain = new AtomicInteger();
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread a = new Thread(() -> {
            firstSlot.set(LoopLocal.currentSlot());
            first.set(local.get());
            claimed.countDown();
            awaitQuietly(done); // stays alive, so it keeps its slot
        });
        // Thread ids are handed out in sequence: make threads until one maps to a's home slot.
        Thread b;
        do {
            b = new Thread(() -> {
                secondSlot.set(LoopLocal.currentSlot());
                second.set(local.get());
                second.get().n++;
                secondSlotAgain.set(LoopLocal.currentSlot());
            });
        } while (((b.getId() - a.getId()) & (LoopLocal.SLOTS - 1)) != 0);
        a.start();
        claimed.await();
        try {
            assertThat(runOn(b, second)).isNotNull().isNotSameAs(first.get());
            assertThat(secondSlot.get()).isNotEqualTo(firstSlot.get()).isNotNegative();
            assertThat(secondSlotAgain.get()).isEqualTo(secondSlot.get());
            assertThat(first.get().n).isZero();
            assertThat(local.claimed()).isEqualTo(2);
        } finally {
            done.countDown();
            a.join();
        }
    }

    @Test
    void aDeadThreadsSlotPassesWithItsStateToTheNextThread() throws Exception {
        LoopLocal<Counter> local = LoopLocal.create(Counter::new);
        AtomicReference<Counter> first = new AtomicReference<>();
        AtomicReference<Counter> second = new AtomicReference<>();
        AtomicInteger firstSlot = new AtomicInteger();
        AtomicInteger secondSlot = new AtomicInteger();
        Thread a = new Thread(() -> {
            firstSlot.set(LoopLocal.currentSlot());
            Counter c = local.get();
            c.n = 7;
            first.set(c);
        });
        Thread b;
        do {
            b = new Thread(() -> {
                secondSlot.set(LoopLocal.currentSlot());
                second.set(local.get());
            });
        } while (((b.getId() - a.getId()) & (LoopLocal.SLOTS - 1)) != 0);
        runOn(a, first);
        // a has died: b takes its slot over, and what a left there (e.g. spare breaker units).
        assertThat(runOn(b, second)).isSameAs(first.get());
        assertThat(second.get().n).isEqualTo(7);
        // a's home slot (b's too) may be held by a live thread from another test, so a may have
        // taken the next free one: b walks the same way and finds a's slot, whichever it is.
        assertThat(secondSlot.get()).isEqualTo(firstSlot.get()).isNotNegative();
        assertThat(local.claimed()).isEqualTo(1);
    }

    @Test
    void aSlotFoundOnceReachesTheSameStateAsTheThread() {
        LoopLocal<Counter> local = LoopLocal.create(Counter::new);
        int slot = LoopLocal.currentSlot();
        assertThat(slot).isBetween(0, LoopLocal.SLOTS - 1);
        assertThat(LoopLocal.isCurrent(slot)).isTrue();
        assertThat(local.get(slot)).isSameAs(local.get());
        assertThat(local.slot(slot)).isSameAs(local.get());
        assertThat(local.get(LoopLocal.NO_SLOT)).isNull();
    }

    /** A sentinel fills the unclaimed entries of the array for hot paths, and is never handed out. */
    @Test
    void anEmptySentinelFillsUnclaimedSlotsAndIsNeverHandedOut() {
        Counter none = new Counter(null);
        LoopLocal<Counter> local = LoopLocal.create(Counter::new, Counter[]::new, none);
        int slot = LoopLocal.currentSlot();
        assertThat(local.array()).containsOnly(none);
        assertThat(local.slot(slot)).isNull();
        assertThat(local.get(LoopLocal.NO_SLOT)).isNull();

        Counter mine = local.get(slot);
        assertThat(mine).isNotNull().isNotSameAs(none);
        assertThat(local.array()[slot + 1]).isSameAs(mine);
        assertThat(local.array()[0]).isSameAs(none);
        assertThat(local.slot(slot)).isSameAs(mine);
        assertThat(local.get()).isSameAs(mine);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
