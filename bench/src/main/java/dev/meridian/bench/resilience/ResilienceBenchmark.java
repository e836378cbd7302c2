package dev.meridian.bench.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the resilience anchors: resilience4j's {@link CircuitBreaker} (closed) and
 * {@link RateLimiter}, the figures Meridian's own breaker, guards and token bucket must beat.
 *
 * <p>Only the anchors exist: the engine's breaker and bucket come with a later issue, and their
 * benchmarks join this class then, in the same run as these.
 *
 * <p>The breaker is measured twice: the check alone (what the target "breaker check ≤ 1 ns"
 * compares with) and the check plus {@code onSuccess}, the full cost per request once the outcome
 * is recorded in the sliding window. The rate limiter's limit is set far above what one second
 * of calls can reach, so every call takes the permit path and never waits.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class ResilienceBenchmark {

    private CircuitBreaker breaker;
    private RateLimiter limiter;

    @Setup
    public void setUp() {
        breaker = CircuitBreaker.ofDefaults("bench");
        limiter = RateLimiter.of("bench", RateLimiterConfig.custom()
                .limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Benchmark
    public boolean anchorResilience4jBreakerCheck() {
        return breaker.tryAcquirePermission();
    }

    @Benchmark
    public boolean anchorResilience4jBreakerCheckAndSuccess() {
        boolean permitted = breaker.tryAcquirePermission();
        if (permitted) {
            breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        }
        return permitted;
    }

    @Benchmark
    public boolean anchorResilience4jRateLimiter() {
        return limiter.acquirePermission();
    }
}
