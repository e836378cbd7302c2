package dev.meridian.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

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
    void aThreadWhoseSlotAnotherOwnsGetsNull() throws Exception {
        LoopLocal<Counter> local = LoopLocal.create(Counter::new);
        AtomicReference<Counter> first = new AtomicReference<>();
        AtomicReference<Counter> second = new AtomicReference<>(new Counter(null));
        Thread a = new Thread(() -> first.set(local.get()));
        // Thread ids are handed out in sequence: make threads until one maps to a's slot.
        Thread b;
        do {
            b = new Thread(() -> second.set(local.get()));
        } while (((b.getId() - a.getId()) & (LoopLocal.SLOTS - 1)) != 0);
        assertThat(runOn(a, first)).isNotNull();
        assertThat(runOn(b, second)).isNull();
        assertThat(local.claimed()).isEqualTo(1);
    }
}
