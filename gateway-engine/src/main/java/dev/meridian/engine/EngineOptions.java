package dev.meridian.engine;

import java.time.Duration;

/**
 * Process-wide engine settings that are not part of a config snapshot.
 *
 * @param ioThreads     event loops; 0 means one per available core
 * @param preferNative  use epoll when the native transport is available, NIO otherwise
 * @param drainTimeout  how long {@link GatewayEngine#stop()} lets requests in flight finish
 * @param warmUp        how long {@link GatewayEngine#start} proxies synthetic requests on loopback
 *                      before it opens the listeners ({@link EngineWarmUp}); zero skips it
 */
public record EngineOptions(int ioThreads, boolean preferNative, Duration drainTimeout, Duration warmUp) {

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(15);

    /** No warm-up unless asked: embedders and tests start at once; {@code meridian.jar} asks for one. */
    public static final Duration DEFAULT_WARM_UP = Duration.ZERO;

    /** The longest warm-up accepted: it delays the listeners, so it is meant in seconds. */
    public static final Duration MAX_WARM_UP = Duration.ofSeconds(60);

    public EngineOptions {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
        }
        drainTimeout = drainTimeout == null ? DEFAULT_DRAIN_TIMEOUT : drainTimeout;
        warmUp = warmUp == null ? DEFAULT_WARM_UP : warmUp;
        if (warmUp.isNegative() || warmUp.compareTo(MAX_WARM_UP) > 0) {
            throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: >= 0 and <= " + MAX_WARM_UP + ")");
        }
    }

    /** Options without a warm-up. */
    public EngineOptions(int ioThreads, boolean preferNative, Duration drainTimeout) {
        this(ioThreads, preferNative, drainTimeout, DEFAULT_WARM_UP);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(0, true, DEFAULT_DRAIN_TIMEOUT, DEFAULT_WARM_UP);
    }

    /** The event-loop count to use: {@link #ioThreads} or the number of cores. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
}
