package dev.meridian.engine.proxy;

import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.limit.RequestRateLimiter;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines and the rate limit a listener imposes on each of its downstream connections,
 * compiled from its {@link ListenerSpec} once per config change, not per connection.
 *
 * @param idleTimeoutNanos      no request, or no progress of the request in flight, for this long closes
 * @param headTimeoutNanos      the whole request head must arrive within this
 * @param minBodyBytesPerSecond the slowest request body accepted, averaged per window; 0: no check
 * @param bodyWindowNanos       the window of the body-rate check (also the grace period)
 * @param rateLimiter           the listener's per-client token buckets, or null for none
 * @param listenerName          the listener's name: whose {@code filter_chain} of the current
 *                              snapshot the connection's requests run
 */
public record DownstreamPolicy(long idleTimeoutNanos, long headTimeoutNanos, long minBodyBytesPerSecond,
                               long bodyWindowNanos, RequestRateLimiter rateLimiter, String listenerName) {

    /** {@code spec}'s policy, sharing {@code rateLimiter} (which the listener keeps across reloads). */
    public static DownstreamPolicy of(ListenerSpec spec, RequestRateLimiter rateLimiter) {
        return new DownstreamPolicy(TimeUnit.MILLISECONDS.toNanos(spec.idleTimeoutMs()),
                TimeUnit.MILLISECONDS.toNanos(spec.requestHeadTimeoutMs()), spec.minBodyRateBytesPerS(),
                TimeUnit.MILLISECONDS.toNanos(spec.bodyRateWindowMs()), rateLimiter, spec.name());
    }
}
