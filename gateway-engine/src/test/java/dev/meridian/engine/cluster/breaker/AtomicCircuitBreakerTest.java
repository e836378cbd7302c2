package dev.meridian.engine.cluster.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.internal.LoopLocal;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AtomicCircuitBreakerTest {

    private static final BreakerResource[] ALL = BreakerResource.values();

    private static BreakerLimits limits(int max) {
        return new BreakerLimits(max, max, max, max, null);
    }

    @Test
    void refusesBeyondEachThresholdAndCountsTheOverflow() {
        CircuitBreaker b = CircuitBreaker.create(new BreakerLimits(1, 2, 3, 0, null));
        assertThat(b.tryAcquire(BreakerResource.CONNECTIONS)).isTrue();
        assertThat(b.tryAcquire(BreakerResource.CONNECTIONS)).isFalse();
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue();
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue();
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue();
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isFalse();
        assertThat(b.tryAcquire(BreakerResource.RETRIES)).isFalse();
        assertThat(b.overflows(BreakerResource.CONNECTIONS)).isEqualTo(1);
        assertThat(b.overflows(BreakerResource.REQUESTS)).isEqualTo(1);
        assertThat(b.overflows(BreakerResource.RETRIES)).isEqualTo(1);
        assertThat(b.overflows(BreakerResource.PENDING_REQUESTS)).isZero();
        b.release(BreakerResource.REQUESTS);
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(2);
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue();
    }

    @Test
    void envoyDefaults() {
        CircuitBreaker b = CircuitBreaker.create(BreakerLimits.DEFAULTS);
        assertThat(b.limit(BreakerResource.CONNECTIONS)).isEqualTo(1024);
        assertThat(b.limit(BreakerResource.PENDING_REQUESTS)).isEqualTo(1024);
        assertThat(b.limit(BreakerResource.REQUESTS)).isEqualTo(1024);
        assertThat(b.limit(BreakerResource.RETRIES)).isEqualTo(3);
    }

    @Test
    void guardReleasesEachResourceExactlyOnceHoweverOftenItIsReleased() {
        CircuitBreaker b = CircuitBreaker.create(limits(10));
        BreakerGuard g = b.guard();
        assertThat(g.tryAcquire(BreakerResource.REQUESTS)).isTrue();
        assertThat(g.tryAcquire(BreakerResource.REQUESTS)).isTrue(); // already held: counted once
        assertThat(g.tryAcquire(BreakerResource.PENDING_REQUESTS)).isTrue();
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(1);
        g.release(BreakerResource.PENDING_REQUESTS);
        g.release(BreakerResource.PENDING_REQUESTS);
        assertThat(b.active(BreakerResource.PENDING_REQUESTS)).isZero();
        assertThat(g.holds(BreakerResource.REQUESTS)).isTrue();
        g.releaseAll();
        g.releaseAll();
        g.release(BreakerResource.REQUESTS);
        for (BreakerResource r : ALL) {
            assertThat(b.active(r)).as(r.key()).isZero();
        }
    }

    @Test
    void aGuardThatOverflowedHoldsNothing() {
        CircuitBreaker b = CircuitBreaker.create(limits(1));
        BreakerGuard first = b.guard();
        BreakerGuard second = b.guard();
        assertThat(first.tryAcquire(BreakerResource.REQUESTS)).isTrue();
        assertThat(second.tryAcquire(BreakerResource.REQUESTS)).isFalse();
        assertThat(second.holds(BreakerResource.REQUESTS)).isFalse();
        second.releaseAll();
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(1);
        first.releaseAll();
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
    }

    @Test
    void retryBudgetAllowsAShareOfActiveRequestsButAtLeastTheMinimum() {
        CircuitBreaker b = CircuitBreaker.create(new BreakerLimits(1000, 1000, 1000, 0, new RetryBudget(20, 3)));
        assertThat(b.limit(BreakerResource.RETRIES)).isEqualTo(3); // no requests: the minimum
        for (int i = 0; i < 50; i++) {
            b.tryAcquire(BreakerResource.REQUESTS);
        }
        assertThat(b.limit(BreakerResource.RETRIES)).isEqualTo(10); // 20% of 50
        for (int i = 0; i < 10; i++) {
            assertThat(b.tryAcquire(BreakerResource.RETRIES)).isTrue();
        }
        assertThat(b.tryAcquire(BreakerResource.RETRIES)).isFalse();
        assertThat(b.overflows(BreakerResource.RETRIES)).isEqualTo(1);
    }

    @Test
    void reconfiguringKeepsWhatIsHeld() {
        CircuitBreaker b = CircuitBreaker.create(limits(5));
        for (int i = 0; i < 4; i++) {
            b.tryAcquire(BreakerResource.REQUESTS);
        }
        b.reconfigure(limits(2));
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(4);
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isFalse();
        for (int i = 0; i < 3; i++) {
            b.release(BreakerResource.REQUESTS);
        }
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue();
    }

    @Test
    void refusesNegativeThresholds() {
        assertThatThrownBy(() -> new BreakerLimits(-1, 1, 1, 1, null)).hasMessage("max_connections: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new RetryBudget(101, 3)).hasMessage("budget_percent: 101 (expected: >= 0 and <= 100)");
    }

    /**
     * 10,000 requests on two threads, each acquiring a random subset of resources and ending at a
     * random point; a third of them end by a "timeout" on the other thread racing the owner's own
     * release. No permit may leak, none may be returned twice, and no counter may pass its limit.
     */
    @Test
    void noPermitLeaksAfterTenThousandRequestsWithRandomAbortsOnTwoThreads() throws Exception {
        int max = 1; // two threads holding at most one unit each: overflows are certain
        CircuitBreaker b = CircuitBreaker.create(limits(max));
        BlockingQueue<BreakerGuard> toOtherThread0 = new ArrayBlockingQueue<>(20_000);
        BlockingQueue<BreakerGuard> toOtherThread1 = new ArrayBlockingQueue<>(20_000);
        AtomicInteger overLimit = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(2);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            BlockingQueue<BreakerGuard> mine = t == 0 ? toOtherThread1 : toOtherThread0;
            BlockingQueue<BreakerGuard> theirs = t == 0 ? toOtherThread0 : toOtherThread1;
            long seed = 42 + t;
            threads[t] = new Thread(() -> {
                try {
                    SplittableRandom random = new SplittableRandom(seed);
                    start.await();
                    for (int i = 0; i < 5_000; i++) {
                        BreakerGuard g = b.guard();
                        int steps = random.nextInt(6);
                        for (int s = 0; s < steps; s++) {
                            BreakerResource r = ALL[random.nextInt(ALL.length)];
                            switch (random.nextInt(3)) {
                                case 0, 1 -> g.tryAcquire(r);
                                default -> g.release(r);
                            }
                            for (BreakerResource any : ALL) {
                                if (b.active(any) > max) {
                                    overLimit.incrementAndGet();
                                }
                            }
                        }
                        if (random.nextInt(3) == 0) {
                            theirs.add(g); // the other thread releases too, racing us
                        }
                        g.releaseAll();
                        BreakerGuard other;
                        while ((other = mine.poll()) != null) {
                            other.releaseAll();
                        }
                    }
                    start.await(5, TimeUnit.SECONDS);
                    BreakerGuard other;
                    while ((other = mine.poll()) != null) {
                        other.releaseAll();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(overLimit.get()).isZero();
        for (BreakerResource r : ALL) {
            assertThat(b.active(r)).as(r.key()).isZero();
        }
        assertThat(b.overflows(BreakerResource.REQUESTS) + b.overflows(BreakerResource.RETRIES)).isPositive();
    }

    /**
     * Four threads hammer a threshold of 256 (large enough for per-loop leases) with requests that
     * hold their unit for a random while; a unit acquired on one thread is sometimes released on
     * another. What callers hold, counted outside the breaker, never passes the threshold; the
     * threshold is reached (leases do not strand more than a chunk per thread); nothing leaks.
     */
    @Test
    void leasedCountersNeverPassTheThresholdUnderFourThreads() throws Exception {
        int max = 256;
        CircuitBreaker b = CircuitBreaker.create(limits(max));
        int threads = 4;
        AtomicInteger held = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger overLimit = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        BlockingQueue<BreakerResource> handOff = new ArrayBlockingQueue<>(100_000);
        CyclicBarrier start = new CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long seed = 7 + t;
            workers[t] = new Thread(() -> {
                try {
                    SplittableRandom random = new SplittableRandom(seed);
                    java.util.ArrayDeque<BreakerResource> mine = new java.util.ArrayDeque<>();
                    start.await();
                    for (int i = 0; i < 200_000; i++) {
                        BreakerResource r = random.nextInt(4) == 0 ? BreakerResource.PENDING_REQUESTS
                                : BreakerResource.REQUESTS;
                        if (random.nextInt(100) < 55 && b.tryAcquire(r)) {
                            int h = r == BreakerResource.REQUESTS ? held.incrementAndGet() : 0;
                            if (h > max) {
                                overLimit.incrementAndGet();
                            }
                            peak.accumulateAndGet(h, Math::max);
                            if (random.nextInt(10) == 0) {
                                handOff.add(r); // another thread will release it
                            } else {
                                mine.add(r);
                            }
                        } else {
                            BreakerResource r2 = mine.poll();
                            if (r2 == null) {
                                r2 = handOff.poll();
                            }
                            if (r2 != null) {
                                if (r2 == BreakerResource.REQUESTS) {
                                    held.decrementAndGet();
                                }
                                b.release(r2);
                            }
                        }
                    }
                    BreakerResource r2;
                    while ((r2 = mine.poll()) != null) {
                        if (r2 == BreakerResource.REQUESTS) {
                            held.decrementAndGet();
                        }
                        b.release(r2);
                    }
                    start.await(10, TimeUnit.SECONDS);
                    while ((r2 = handOff.poll()) != null) {
                        if (r2 == BreakerResource.REQUESTS) {
                            held.decrementAndGet();
                        }
                        b.release(r2);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            workers[t].start();
        }
        for (Thread t : workers) {
            t.join(60_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(overLimit.get()).isZero();
        assertThat(peak.get()).isGreaterThanOrEqualTo(max - threads * AtomicCircuitBreaker.MAX_CHUNK);
        assertThat(b.overflows(BreakerResource.REQUESTS)).isPositive();
        for (BreakerResource r : ALL) {
            assertThat(b.active(r)).as(r.key()).isZero();
        }
        // What the threads left spare is usable: the whole threshold can be taken again.
        int taken = 0;
        while (b.tryAcquire(BreakerResource.REQUESTS)) {
            taken++;
        }
        assertThat(taken).isLessThanOrEqualTo(max).isGreaterThanOrEqualTo(max - threads * AtomicCircuitBreaker.MAX_CHUNK);
    }

    @Test
    void aLoopAdmitsFromItsLeaseWithoutPassingTheThreshold() {
        int max = 1024; // chunks of 16
        CircuitBreaker b = CircuitBreaker.create(limits(max));
        for (int i = 0; i < max; i++) {
            assertThat(b.tryAcquire(BreakerResource.REQUESTS)).as("unit %d", i).isTrue();
        }
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isFalse();
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(max);
        for (int i = 0; i < max; i++) {
            b.release(BreakerResource.REQUESTS);
        }
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
    }

    @Test
    void loweringAThresholdVoidsWhatLoopsHoldSpare() {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue(); // leases a chunk, keeps 15 spare
        b.reconfigure(limits(3));
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue();
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isTrue();
        assertThat(b.tryAcquire(BreakerResource.REQUESTS)).isFalse();
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(3);
    }

    @Test
    void aUnitAcquiredOnOneThreadMayBeReleasedOnAnother() throws Exception {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        Thread t = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                b.tryAcquire(BreakerResource.REQUESTS);
            }
        });
        t.start();
        t.join();
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            b.release(BreakerResource.REQUESTS);
        }
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
        int taken = 0;
        while (b.tryAcquire(BreakerResource.REQUESTS)) {
            taken++;
        }
        // The finished thread may keep at most one chunk spare (16 of 1024).
        assertThat(taken).isBetween(1024 - 16, 1024);
    }

    /** The exchange's path: the first acquire records the loop slot that the rest of the request reuses. */
    @Test
    void aHeldSetRecordsItsLoopSlotAndReturnsEveryUnit() {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        int held = b.tryAcquire(0, BreakerResource.REQUESTS);
        assertThat(held).isPositive();
        assertThat(CircuitBreaker.holds(held, BreakerResource.REQUESTS)).isTrue();
        assertThat(CircuitBreaker.holds(held, BreakerResource.PENDING_REQUESTS)).isFalse();
        assertThat(CircuitBreaker.loopOf(held)).isEqualTo(LoopLocal.currentSlot());
        assertThat(CircuitBreaker.loopOf(0)).isEqualTo(LoopLocal.currentSlot());
        held = b.tryAcquire(held, BreakerResource.PENDING_REQUESTS);
        assertThat(b.tryAcquire(held, BreakerResource.REQUESTS)).isEqualTo(held); // held already: no second unit
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(1);
        assertThat(b.active(BreakerResource.PENDING_REQUESTS)).isEqualTo(1);
        held = b.release(held, BreakerResource.PENDING_REQUESTS);
        assertThat(b.release(held, BreakerResource.PENDING_REQUESTS)).isEqualTo(held); // not held: nothing returned
        assertThat(CircuitBreaker.loopOf(held)).isEqualTo(LoopLocal.currentSlot());
        assertThat(b.active(BreakerResource.PENDING_REQUESTS)).isZero();
        assertThat(b.releaseAll(held)).isZero();
        for (BreakerResource r : ALL) {
            assertThat(b.active(r)).as(r.key()).isZero();
        }
    }

    @Test
    void aRefusedHeldSetIsUnchangedAndHoldsNothing() {
        CircuitBreaker b = CircuitBreaker.create(new BreakerLimits(1, 1, 1, 0, null));
        int first = b.tryAcquire(0, BreakerResource.REQUESTS);
        assertThat(b.tryAcquire(0, BreakerResource.REQUESTS)).isEqualTo(-1);
        assertThat(b.tryAcquire(first, BreakerResource.RETRIES)).isEqualTo(-1);
        assertThat(b.releaseAll(first)).isZero();
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
    }

    /** Units taken on a loop's lease may come back without a slot (or from another thread), and the reverse. */
    @Test
    void unitsMoveBetweenTheLoopPathAndTheExactPathWithoutLeaking() {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        int loop = LoopLocal.currentSlot();
        for (int i = 0; i < 100; i++) {
            assertThat(b.tryAcquireOn(loop, BreakerResource.REQUESTS)).isTrue();
        }
        for (int i = 0; i < 100; i++) {
            b.releaseOn(LoopLocal.NO_SLOT, BreakerResource.REQUESTS);
        }
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(b.tryAcquireOn(LoopLocal.NO_SLOT, BreakerResource.REQUESTS)).isTrue();
        }
        for (int i = 0; i < 100; i++) {
            b.releaseOn(loop, BreakerResource.REQUESTS);
        }
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
        int taken = 0;
        while (b.tryAcquireOn(loop, BreakerResource.REQUESTS)) {
            taken++;
        }
        assertThat(taken).isEqualTo(1024); // what this loop kept spare is its own to use
    }

    /** A unit released after a reconfigure may be kept, but only the next acquire's plan decides its use. */
    @Test
    void aUnitKeptAfterLoweringAThresholdIsGivenBackBeforeAnyUse() {
        CircuitBreaker b = CircuitBreaker.create(limits(1024));
        int loop = LoopLocal.currentSlot();
        assertThat(b.tryAcquireOn(loop, BreakerResource.REQUESTS)).isTrue();
        b.reconfigure(limits(3));
        b.releaseOn(loop, BreakerResource.REQUESTS);
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(b.tryAcquireOn(loop, BreakerResource.REQUESTS)).as("unit %d", i).isTrue();
        }
        assertThat(b.tryAcquireOn(loop, BreakerResource.REQUESTS)).isFalse();
        assertThat(b.active(BreakerResource.REQUESTS)).isEqualTo(3);
    }

    /**
     * Four threads run requests as the exchange does (held bits, a pending unit taken and given
     * back, random lengths) against a threshold of 256: what they hold, counted outside the
     * breaker, never passes it, and everything comes back.
     */
    @Test
    void heldSetsNeverPassTheThresholdUnderFourThreads() throws Exception {
        int max = 256;
        CircuitBreaker b = CircuitBreaker.create(limits(max));
        int threads = 4;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overLimit = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long seed = 11 + t;
            workers[t] = new Thread(() -> {
                try {
                    SplittableRandom random = new SplittableRandom(seed);
                    java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
                    start.await();
                    for (int i = 0; i < 200_000; i++) {
                        if (random.nextInt(100) < 52) {
                            int h = b.tryAcquire(0, BreakerResource.REQUESTS);
                            if (h >= 0) {
                                admitted.incrementAndGet();
                                if (inFlight.incrementAndGet() > max) {
                                    overLimit.incrementAndGet();
                                }
                                int p = b.tryAcquire(h, BreakerResource.PENDING_REQUESTS);
                                if (p >= 0) {
                                    h = b.release(p, BreakerResource.PENDING_REQUESTS);
                                }
                                open.add(h);
                            }
                        } else if (!open.isEmpty()) {
                            inFlight.decrementAndGet();
                            assertThat(b.releaseAll(open.poll())).isZero();
                        }
                    }
                    while (!open.isEmpty()) {
                        inFlight.decrementAndGet();
                        b.releaseAll(open.poll());
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            workers[t].start();
        }
        for (Thread t : workers) {
            t.join(60_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(overLimit.get()).isZero();
        assertThat(admitted.get()).isPositive();
        assertThat(b.overflows(BreakerResource.REQUESTS)).isPositive();
        for (BreakerResource r : ALL) {
            assertThat(b.active(r)).as(r.key()).isZero();
        }
        int taken = 0;
        while (b.tryAcquire(BreakerResource.REQUESTS)) {
            taken++;
        }
        assertThat(taken).isLessThanOrEqualTo(max).isGreaterThanOrEqualTo(max - threads * AtomicCircuitBreaker.MAX_CHUNK);
    }

    @Test
    void aRequestsHeldSetAllocatesNothing() {
        CircuitBreaker b = CircuitBreaker.create(BreakerLimits.DEFAULTS);
        Runnable requests = () -> {
            for (int i = 0; i < 100_000; i++) {
                int h = b.tryAcquire(0, BreakerResource.REQUESTS);
                h = b.tryAcquire(h, BreakerResource.PENDING_REQUESTS);
                h = b.release(h, BreakerResource.PENDING_REQUESTS);
                b.releaseAll(h);
            }
        };
        requests.run();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        requests.run();
        assertThat(mx.getThreadAllocatedBytes(id) - before).isLessThan(4096);
        assertThat(b.active(BreakerResource.REQUESTS)).isZero();
    }
}
