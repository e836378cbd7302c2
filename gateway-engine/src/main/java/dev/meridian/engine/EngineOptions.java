package dev.meridian.engine;

import java.time.Duration;

/**
 * Process-wide engine settings that are not part of a config snapshot.
 *
 * @param ioThreads     event loops; 0 means one per available core
 * @param preferNative  use epoll when the native transport is available, NIO otherwise
 * @param drainTimeout  how long {@link GatewayEngine#stop()} lets requests in flight finish
 */
public record EngineOptions(int ioThreads, boolean preferNative, Duration drainTimeout) {

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(15);

    public EngineOptions {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
        }
        drainTimeout = drainTimeout == null ? DEFAULT_DRAIN_TIMEOUT : drainTimeout;
    }

    public static EngineOptions defaults() {
        return new EngineOptions(0, true, DEFAULT_DRAIN_TIMEOUT);
    }

    /** The event-loop count to use: {@link #ioThreads} or the number of cores. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
}
