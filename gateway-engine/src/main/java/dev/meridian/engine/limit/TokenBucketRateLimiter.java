package dev.meridian.engine.limit;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Token buckets per client address, each packed into one {@code long} moved by compare-and-set.
 *
 * <p>The long is the bucket's "theoretical arrival time" (GCRA, the cell-rate form of a token
 * bucket, as in ATM policing and Redis' redis-cell): {@code tat - now} is the time the bucket
 * needs to refill completely, so the tokens left are {@code burst - (tat - now) / interval}.
 * Taking a token adds one emission interval; a request is refused when that would push
 * {@code tat} more than {@code burst} intervals past now. Time and tokens thus live in a single
 * word and one CAS updates both, with no separate refill step and no lock.
 *
 * <p>Memory is bounded: a bucket with {@code tat <= now} is full, indistinguishable from a new
 * one, so dropping it loses nothing. Sweeps that drop full buckets run on insert, when the map
 * has doubled since the last sweep (amortized O(1) per new client) or, at the cap, at most once a
 * second. A swept bucket is first marked dead by CAS so that a concurrent taker retries on a
 * fresh bucket instead of spending a token in one that left the map.
 */
final class TokenBucketRateLimiter implements RequestRateLimiter {

    /** A bucket's tat once it has been evicted. */
    private static final long DEAD = Long.MIN_VALUE;
    private static final int MIN_SWEEP_THRESHOLD = 1024;
    private static final long SWEEP_AT_CAP_INTERVAL_NANOS = 1_000_000_000L;

    private static final AtomicLongFieldUpdater<Bucket> TAT =
            AtomicLongFieldUpdater.newUpdater(Bucket.class, "tat");

    private final double requestsPerSecond;
    private final int burst;
    private final int maxClients;
    /** Nanoseconds per token. */
    private final long interval;
    /** Nanoseconds a full bucket represents: burst × interval. */
    private final long capacity;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);
    private volatile int sweepThreshold = MIN_SWEEP_THRESHOLD;

    TokenBucketRateLimiter(double requestsPerSecond, int burst, int maxClients) {
        if (!(requestsPerSecond > 0) || requestsPerSecond > 1e9) {
            throw new IllegalArgumentException("requestsPerSecond: " + requestsPerSecond + " (expected: > 0 and <= 1e9)");
        }
        if (burst <= 0) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: > 0)");
        }
        if (maxClients <= 0) {
            throw new IllegalArgumentException("maxClients: " + maxClients + " (expected: > 0)");
        }
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
        this.maxClients = maxClients;
        this.interval = Math.max(1, Math.round(1e9 / requestsPerSecond));
        this.capacity = Math.multiplyHigh(interval, burst) != 0 ? Long.MAX_VALUE / 4 : interval * burst;
    }

    @Override
    public long tryAcquire(InetAddress client, long nowNanos) {
        for (;;) {
            Bucket b = buckets.get(client);
            if (b == null) {
                if (buckets.size() >= maxClients && !sweep(nowNanos, true)) {
                    // Fail open: refusing unknown clients would let an attacker with many addresses
                    // lock everyone else out; each of those addresses still gets only its own burst.
                    return 0;
                }
                // A new client starts full and spends one token now.
                b = new Bucket(nowNanos + interval);
                Bucket raced = buckets.putIfAbsent(client, b);
                if (raced == null) {
                    if (buckets.size() > sweepThreshold) {
                        sweep(nowNanos, false);
                    }
                    return 0;
                }
                b = raced;
            }
            long tat = b.tat;
            if (tat == DEAD) {
                buckets.remove(client, b);
                continue;
            }
            // Compare by difference, never Math.max: nanoTime values may wrap around.
            long next = (tat - nowNanos > 0 ? tat : nowNanos) + interval;
            long over = next - nowNanos - capacity;
            if (over > 0) {
                return over; // empty: the next token arrives in `over` ns; the bucket is unchanged
            }
            if (TAT.compareAndSet(b, tat, next)) {
                return 0;
            }
        }
    }

    /**
     * Evicts full buckets; one sweeper at a time. {@code atCap} sweeps run at most once a second
     * so a table full of busy clients cannot make every request pay for a scan.
     *
     * @return whether there is room for a new client afterwards
     */
    private boolean sweep(long nowNanos, boolean atCap) {
        long last = lastSweep.get();
        if (atCap && last != Long.MIN_VALUE && nowNanos - last < SWEEP_AT_CAP_INTERVAL_NANOS) {
            return buckets.size() < maxClients;
        }
        if (!lastSweep.compareAndSet(last, nowNanos)) {
            return buckets.size() < maxClients; // someone else is sweeping
        }
        for (Iterator<Map.Entry<InetAddress, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetAddress, Bucket> e = it.next();
            Bucket b = e.getValue();
            long tat = b.tat;
            if (tat != DEAD && tat - nowNanos <= 0 && TAT.compareAndSet(b, tat, DEAD)) {
                buckets.remove(e.getKey(), b);
            }
        }
        int size = buckets.size();
        sweepThreshold = Math.max(MIN_SWEEP_THRESHOLD, Math.min(maxClients, 2 * size));
        return size < maxClients;
    }

    @Override
    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    @Override
    public int burst() {
        return burst;
    }

    @Override
    public int trackedClients() {
        return buckets.size();
    }

    /** One client's bucket: its theoretical arrival time, or {@link #DEAD}. */
    private static final class Bucket {
        volatile long tat;

        Bucket(long tat) {
            this.tat = tat;
        }
    }
}
