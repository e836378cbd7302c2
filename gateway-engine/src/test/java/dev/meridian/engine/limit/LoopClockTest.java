package dev.meridian.engine.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopClockTest {

    @Test
    void readsTheClockOncePerLoopIterationAndFreshlyInTheNext() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            LoopClock clock = new LoopClock(loop);
            long[] seen = new long[3];
            loop.submit(() -> {
                seen[0] = clock.read();
                long spin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
                while (System.nanoTime() < spin) {
                    Thread.onSpinWait();
                }
                seen[1] = clock.read(); // same task, same timestamp
            }).get(5, TimeUnit.SECONDS);
            Thread.sleep(5);
            loop.submit(() -> seen[2] = clock.read()).get(5, TimeUnit.SECONDS);

            assertThat(seen[1]).isEqualTo(seen[0]);
            assertThat(seen[2] - seen[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
