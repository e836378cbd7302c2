package dev.meridian.engine.limit;

import java.net.InetAddress;

/**
 * A per-client request rate limit: each client address has its own token bucket holding up to
 * {@code burst} requests, refilled at {@code requestsPerSecond}. Defends against one client
 * flooding a listener or an expensive route (credential stuffing on a login route, scraping).
 *
 * <p>Safe for concurrent use from every event loop without locks: one client may have connections
 * on several loops and they share its bucket. Time is passed in by the caller (an event loop's
 * {@link LoopClock}, or a hand-driven {@link Ticker} in tests), never read here.
 */
public interface RequestRateLimiter {

    /**
     * Clients tracked at once before new clients go unlimited (fail open) until idle buckets are
     * evicted: about 100 bytes each, so 12 MB per limiter at most. Only clients whose bucket is
     * not full are tracked, so reaching this takes 100,000 addresses all over their rate at once.
     */
    int DEFAULT_MAX_CLIENTS = 100_000;

    /**
     * Takes one token from {@code client}'s bucket.
     *
     * @param nowNanos the caller's current time, on the {@link System#nanoTime()} scale
     * @return 0 when the request is admitted, else the nanoseconds until one would be (&gt; 0)
     */
    long tryAcquire(InetAddress client, long nowNanos);

    double requestsPerSecond();

    int burst();

    /** Clients with a bucket right now (full buckets are evicted over time). */
    int trackedClients();

    /** A token-bucket limiter tracking at most {@link #DEFAULT_MAX_CLIENTS} clients. */
    static RequestRateLimiter tokenBucket(double requestsPerSecond, int burst) {
        return new TokenBucketRateLimiter(requestsPerSecond, burst, DEFAULT_MAX_CLIENTS);
    }

    /**
     * The limiter for a limit of {@code requestsPerSecond} and {@code burst} after a reload:
     * {@code previous} itself, with every client's bucket as it is, when it enforces the same
     * limit; else a new one. A config edit elsewhere must not hand every client a full bucket
     * (an attacker who can trigger reloads, or one who times them, would get a fresh burst each).
     */
    static RequestRateLimiter keepOrCreate(RequestRateLimiter previous, double requestsPerSecond, int burst) {
        if (previous != null && previous.requestsPerSecond() == requestsPerSecond && previous.burst() == burst) {
            return previous;
        }
        return tokenBucket(requestsPerSecond, burst);
    }

    /** As {@link #tokenBucket(double, int)} with an explicit bound on tracked clients. */
    static RequestRateLimiter tokenBucket(double requestsPerSecond, int burst, int maxClients) {
        return new TokenBucketRateLimiter(requestsPerSecond, burst, maxClients);
    }
}
