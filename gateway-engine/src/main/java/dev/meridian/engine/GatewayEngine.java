package dev.meridian.engine;

import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.GatewaySnapshot;
import java.util.List;

/**
 * The data plane: binds the snapshot's listeners, proxies requests, and swaps snapshots atomically.
 *
 * <p>Lifecycle: {@link #start(GatewaySnapshot)} once, {@link #apply(GatewaySnapshot)} any number of
 * times, {@link #stop()} once (stop accepting, let requests in flight finish up to the drain
 * timeout, then close everything). All three are safe to call from any non-event-loop thread.
 */
public final class GatewayEngine {

    private final EngineOptions options;

    public GatewayEngine(EngineOptions options) {
        this.options = options;
    }

    /** Validates and compiles {@code snapshot}, binds its listeners and starts serving. */
    public void start(GatewaySnapshot snapshot) throws ConfigValidationException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Validates {@code snapshot} and, if valid, compiles it off the event loops and publishes it
     * with one atomic store; invalid snapshots throw and leave the running config untouched.
     */
    public void apply(GatewaySnapshot snapshot) throws ConfigValidationException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Stops accepting, drains requests in flight up to the drain timeout, then closes. */
    public void stop() {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean isRunning() {
        return false;
    }

    /** The snapshot currently served, or null before start. */
    public GatewaySnapshot currentSnapshot() {
        return null;
    }

    /** The listeners of the current snapshot and whether each is bound. */
    public List<ListenerStatus> listeners() {
        return List.of();
    }

    public EngineOptions options() {
        return options;
    }
}
