package dev.meridian.engine;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.health.HealthChecker;
import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.listener.ProxyListener;
import dev.meridian.engine.observe.ProxyStats;
import dev.meridian.engine.proxy.ProxyContext;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.runtime.SnapshotCompiler;
import dev.meridian.engine.runtime.SnapshotHolder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.resources.LoopResources;

/**
 * The data plane: binds the snapshot's listeners, proxies requests, and swaps snapshots atomically.
 *
 * <p>Lifecycle: {@link #start(GatewaySnapshot)} once, {@link #apply(GatewaySnapshot)} any number of
 * times, {@link #stop()} once (stop accepting, let requests in flight finish up to the drain
 * timeout, then close everything). All three are safe to call from any non-event-loop thread;
 * they are serialized, and the calling thread does the compiling, never an event loop.
 */
public final class GatewayEngine {

    private static final Logger log = LoggerFactory.getLogger(GatewayEngine.class);

    private final EngineOptions options;
    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final ProxyStats stats = new ProxyStats();
    private final Map<String, ProxyListener> listeners = new LinkedHashMap<>();
    /** How often ejected endpoints whose time is up are returned; no cluster's interval is shorter in practice. */
    static final long OUTLIER_SWEEP_MS = 250;

    private LoopResources loops;
    private HealthChecker health;
    private ScheduledFuture<?> outlierSweep;
    private ProxyContext proxy;
    private volatile boolean running;
    private long version;

    /**
     * The event loops of the engine that {@link EngineWarmUp} warms, when this is its private
     * engine (else null): borrowed, never disposed here. Its start and stop are not news.
     */
    private final LoopResources borrowedLoops;

    public GatewayEngine(EngineOptions options) {
        this(options, null);
    }

    GatewayEngine(EngineOptions options, LoopResources borrowedLoops) {
        this.options = options;
        this.borrowedLoops = borrowedLoops;
    }

    /** Validates and compiles {@code snapshot}, binds its listeners and starts serving. */
    public synchronized void start(GatewaySnapshot snapshot) throws ConfigValidationException {
        if (loops != null) {
            throw new IllegalStateException("engine already started");
        }
        SnapshotCompiler.check(snapshot);
        int threads = options.effectiveIoThreads();
        loops = borrowedLoops != null ? borrowedLoops : LoopResources.create("meridian", 1, threads, true);
        if (!options.warmUp().isZero()) {
            // Before the listeners open, so they open on compiled code; and on this engine's own
            // event loops, whose first pass through a thread-local (the allocator's cache, the
            // recycler's pool, a balancer's per-loop state) then lies behind them: on threads new
            // to it, compiled code takes an uncommon trap and the hot path is compiled again
            // under the first real clients.
            EngineWarmUp.run(options, options.warmUp(), loops);
        }
        RuntimeSnapshot compiled = SnapshotCompiler.compile(snapshot, null, ++version);
        proxy = new ProxyContext(snapshots, stats, threads);
        EventLoopGroup group = loops.onServer(options.preferNative());
        health = HealthChecker.create(group, loops.onChannelClass(SocketChannel.class, group));
        outlierSweep = group.next().scheduleAtFixedRate(this::sweepOutliers, OUTLIER_SWEEP_MS, OUTLIER_SWEEP_MS,
                TimeUnit.MILLISECONDS);
        snapshots.set(compiled);
        health.update(compiled.clusters().values());
        try {
            reconcileListeners(snapshot.listeners());
        } catch (RuntimeException e) {
            stopNow();
            throw e;
        }
        running = true;
        if (borrowedLoops == null) {
            log.info("Meridian engine started: {} event loops, listeners {}", threads, listeners());
        }
    }

    /**
     * Validates {@code snapshot} and, if valid, compiles it and publishes it with one store;
     * an invalid snapshot throws and leaves the running config untouched. Requests in flight
     * finish on the snapshot they started with.
     */
    public synchronized void apply(GatewaySnapshot snapshot) throws ConfigValidationException {
        if (!running) {
            throw new IllegalStateException("engine is not running");
        }
        SnapshotCompiler.check(snapshot);
        RuntimeSnapshot compiled = SnapshotCompiler.compile(snapshot, snapshots.get(), version + 1);
        version++;
        snapshots.set(compiled);
        health.update(compiled.clusters().values());
        reconcileListeners(snapshot.listeners());
        if (borrowedLoops == null) {
            log.info("applied config version {}", version);
        }
    }

    /** Stops accepting, drains requests in flight up to the drain timeout, then closes. */
    public synchronized void stop() {
        if (loops == null) {
            return;
        }
        running = false;
        for (ProxyListener l : listeners.values()) {
            l.close();
        }
        proxy.drain();
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (stats.requestsActive.sum() > 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        long left = stats.requestsActive.sum();
        if (left > 0) {
            log.warn("drain timeout reached with {} requests in flight; closing them", left);
        }
        stopNow();
        if (borrowedLoops == null) {
            log.info("Meridian engine stopped");
        }
    }

    private void sweepOutliers() {
        RuntimeSnapshot current = snapshots.get();
        if (current != null) {
            for (Cluster c : current.clusters().values()) {
                c.outlierDetector().sweep();
            }
        }
    }

    private void stopNow() {
        if (outlierSweep != null) {
            outlierSweep.cancel(false);
        }
        if (health != null) {
            health.stop();
        }
        for (ProxyListener l : listeners.values()) {
            if (l.isBound()) {
                l.close();
            }
        }
        listeners.clear();
        if (proxy != null) {
            proxy.closeAll();
        }
        if (borrowedLoops == null) {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
        loops = null;
    }

    private void reconcileListeners(List<ListenerSpec> specs) {
        Map<String, ListenerSpec> wanted = new LinkedHashMap<>();
        for (ListenerSpec s : specs) {
            wanted.put(s.name(), s);
        }
        for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            ListenerSpec s = wanted.get(e.getKey());
            if (s == null || !s.address().equals(e.getValue().address())) {
                // Connections accepted by a dropped listener keep being served until they close.
                e.getValue().close();
                it.remove();
            }
        }
        for (ListenerSpec s : wanted.values()) {
            ProxyListener existing = listeners.get(s.name());
            if (existing != null) {
                existing.update(s);
            } else {
                listeners.put(s.name(), ProxyListener.bind(s, loops, options.preferNative(), proxy));
            }
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** The snapshot currently served, or null before start. */
    public GatewaySnapshot currentSnapshot() {
        RuntimeSnapshot rs = snapshots.get();
        return rs == null ? null : rs.spec();
    }

    /** The version of the snapshot currently served: 1 after start, +1 per applied snapshot. */
    public long version() {
        RuntimeSnapshot rs = snapshots.get();
        return rs == null ? 0 : rs.version();
    }

    /** The listeners of the current snapshot and whether each is bound. */
    public synchronized List<ListenerStatus> listeners() {
        List<ListenerStatus> out = new ArrayList<>();
        for (ProxyListener l : listeners.values()) {
            out.add(new ListenerStatus(l.name(), l.address(), l.isBound() ? l.boundAddress() : null, l.isBound()));
        }
        return out;
    }

    /**
     * The compiled clusters now served, by name: endpoints with their health and ejection state,
     * breaker counters and outlier stats, for the admin API and the dashboard. Read-only.
     */
    public Map<String, Cluster> clusters() {
        RuntimeSnapshot rs = snapshots.get();
        return rs == null ? Map.of() : rs.clusters();
    }

    /** The engine's traffic counters. */
    public ProxyStats stats() {
        return stats;
    }

    public EngineOptions options() {
        return options;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
