package dev.meridian.engine.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {

    private final ManualTicker ticker = new ManualTicker();

    private static InetAddress ip(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, (byte) (last >> 8), (byte) last});
    }

    @Test
    void admitsABurstThenRefusesUntilATokenRefills() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.tokenBucket(10, 5);
        InetAddress a = ip(1);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(a, ticker.read())).as("request %d", i).isZero();
        }
        long wait = limiter.tryAcquire(a, ticker.read());
        assertThat(wait).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

        ticker.advance(99, TimeUnit.MILLISECONDS);
        assertThat(limiter.tryAcquire(a, ticker.read())).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        ticker.advance(1, TimeUnit.MILLISECONDS);
        assertThat(limiter.tryAcquire(a, ticker.read())).isZero();
        assertThat(limiter.tryAcquire(a, ticker.read())).isPositive();
    }

    @Test
    void refillsToBurstAndNoFurther() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.tokenBucket(10, 3);
        InetAddress a = ip(1);
        limiter.tryAcquire(a, ticker.read());
        ticker.advance(1, TimeUnit.HOURS);
        int admitted = 0;
        while (limiter.tryAcquire(a, ticker.read()) == 0) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void keepsOneBucketPerClient() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.tokenBucket(1, 1);
        assertThat(limiter.tryAcquire(ip(1), ticker.read())).isZero();
        assertThat(limiter.tryAcquire(ip(1), ticker.read())).isPositive();
        assertThat(limiter.tryAcquire(ip(2), ticker.read())).isZero();
    }

    @Test
    void supportsFractionalRates() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.tokenBucket(0.5, 1);
        InetAddress a = ip(1);
        assertThat(limiter.tryAcquire(a, ticker.read())).isZero();
        assertThat(limiter.tryAcquire(a, ticker.read())).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        ticker.advance(2, TimeUnit.SECONDS);
        assertThat(limiter.tryAcquire(a, ticker.read())).isZero();
    }

    @Test
    void evictsFullBucketsSoMemoryFollowsActiveClients() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.tokenBucket(100, 1, 1000);
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire(ip(i), ticker.read());
        }
        assertThat(limiter.trackedClients()).isEqualTo(1000);
        // Every bucket has refilled: the next new client triggers a sweep that drops them all.
        ticker.advance(2, TimeUnit.SECONDS);
        assertThat(limiter.tryAcquire(ip(5000), ticker.read())).isZero();
        assertThat(limiter.trackedClients()).isEqualTo(1);
    }

    @Test
    void failsOpenForNewClientsWhenEveryTrackedClientIsStillLimited() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.tokenBucket(1, 1, 10);
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire(ip(i), ticker.read());
        }
        assertThat(limiter.tryAcquire(ip(100), ticker.read())).isZero();
        assertThat(limiter.tryAcquire(ip(100), ticker.read())).as("untracked: not limited").isZero();
        assertThat(limiter.trackedClients()).isEqualTo(10);
        // Tracked clients stay limited.
        assertThat(limiter.tryAcquire(ip(3), ticker.read())).isPositive();
    }

    @Test
    void admitsExactlyTheBurstUnderConcurrentTakers() throws Exception {
        RequestRateLimiter limiter = RequestRateLimiter.tokenBucket(1, 1000);
        InetAddress a = ip(7);
        long now = ticker.read();
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (limiter.tryAcquire(a, now) == 0) {
                        admitted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(admitted.get()).isEqualTo(1000);
    }

    @Test
    void rejectsNonsensicalParameters() {
        assertThatThrownBy(() -> RequestRateLimiter.tokenBucket(0, 1)).hasMessageContaining("requestsPerSecond: 0.0");
        assertThatThrownBy(() -> RequestRateLimiter.tokenBucket(1, 0)).hasMessageContaining("burst: 0");
    }
}
