package dev.meridian.engine.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static InetAddress ip(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void refusesBeyondThePerClientLimitAndAdmitsOthers() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 2);
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.ADMITTED);
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.ADMITTED);
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.OVER_PER_CLIENT);
        assertThat(limiter.tryAcquire(ip(2))).isEqualTo(ConnectionLimiter.ADMITTED);
        assertThat(limiter.open()).isEqualTo(3);
        assertThat(limiter.openFrom(ip(1))).isEqualTo(2);
    }

    @Test
    void refusesBeyondTheTotalWithoutCountingTheRefusedClient() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(2, 10);
        limiter.tryAcquire(ip(1));
        limiter.tryAcquire(ip(2));
        assertThat(limiter.tryAcquire(ip(3))).isEqualTo(ConnectionLimiter.OVER_TOTAL);
        assertThat(limiter.openFrom(ip(3))).isZero();
        assertThat(limiter.trackedClients()).isEqualTo(2);
    }

    @Test
    void releaseFreesASlotAndForgetsAddressesAtZero() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 1);
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.ADMITTED);
        limiter.release(ip(1));
        assertThat(limiter.trackedClients()).isZero();
        assertThat(limiter.open()).isZero();
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.ADMITTED);
    }

    @Test
    void loweredLimitsApplyToNewConnectionsOnly() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 3);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(ip(1));
        }
        limiter.setLimits(100, 1);
        assertThat(limiter.openFrom(ip(1))).isEqualTo(3);
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.OVER_PER_CLIENT);
        limiter.release(ip(1));
        limiter.release(ip(1));
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.OVER_PER_CLIENT);
        limiter.release(ip(1));
        assertThat(limiter.tryAcquire(ip(1))).isEqualTo(ConnectionLimiter.ADMITTED);
    }

    @Test
    void countsStayExactUnderConcurrentConnectAndClose() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1_000_000, 5);
        InetAddress a = ip(9);
        AtomicInteger maxSeen = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    if (limiter.tryAcquire(a) == ConnectionLimiter.ADMITTED) {
                        maxSeen.accumulateAndGet(limiter.openFrom(a), Math::max);
                        limiter.release(a);
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(maxSeen.get()).isLessThanOrEqualTo(5);
        assertThat(limiter.open()).isZero();
        assertThat(limiter.openFrom(a)).isZero();
        assertThat(limiter.trackedClients()).isZero();
    }
}
