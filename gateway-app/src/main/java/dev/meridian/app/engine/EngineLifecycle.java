package dev.meridian.app.engine;

import dev.meridian.admin.health.EngineHealthIndicator;
import dev.meridian.engine.GatewayEngine;
import dev.meridian.engine.ListenerStatus;
import dev.meridian.engine.config.ConfigFileWatcher;
import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.GatewaySnapshot;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link GatewayEngine} inside the Spring lifecycle: loads the config file and starts the
 * engine on context start, applies valid edits of a watched file, and drains on context close.
 *
 * <p>Its phase is {@link SmartLifecycle#DEFAULT_PHASE}, above the web server's, so the engine starts
 * after the management port is up (readiness is visible while listeners bind) and stops before it:
 * the data plane drains while health and metrics still answer.
 */
public final class EngineLifecycle implements SmartLifecycle {

    /** Last to start, first to stop; lifecycles the engine depends on (demo origins) use a lower phase. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    private static final Logger log = LoggerFactory.getLogger(EngineLifecycle.class);

    private final GatewayEngine engine;
    private final EngineConfigFile configFile;
    private volatile ConfigFileWatcher watcher;
    private volatile boolean running;

    public EngineLifecycle(GatewayEngine engine, EngineConfigFile configFile) {
        this.engine = engine;
        this.configFile = configFile;
    }

    /** Loads the config file and starts the engine; an invalid file fails startup with every field error. */
    @Override
    public void start() {
        Path path = configFile.path();
        GatewaySnapshot snapshot;
        try {
            snapshot = ConfigLoader.load(path);
            engine.start(snapshot);
        } catch (ConfigValidationException e) {
            throw new InvalidConfigFileException(path, e);
        }
        if (configFile.watched()) {
            try {
                // The served snapshot is the watcher's baseline, and the watcher checks the file once
                // at start, so an edit saved between our load and the watch is not lost.
                watcher = ConfigFileWatcher.start(path, snapshot, this::applyChange, this::rejectChange);
            } catch (RuntimeException e) {
                // Not yet running, so the context will not call stop(): release the listeners here.
                engine.stop();
                throw e instanceof ConfigValidationException invalid ? new InvalidConfigFileException(path, invalid) : e;
            }
        }
        running = true;
        for (ListenerStatus listener : engine.listeners()) {
            InetSocketAddress bound = listener.boundAddress();
            log.info("Listener '{}' ({}) bound to {}", listener.name(), listener.address(),
                    bound == null ? "nothing" : EngineHealthIndicator.hostPort(bound));
        }
        log.info("Meridian is serving {}{}", path, configFile.watched() ? " and watching it for changes" : "");
    }

    /** Stops watching, then drains: stop accepting, let requests in flight finish up to the drain timeout. */
    @Override
    public void stop() {
        // Stop watching first so that no reload races with the drain and re-opens what we close.
        ConfigFileWatcher current = watcher;
        watcher = null;
        if (current != null) {
            current.close();
        }
        log.info("Draining requests in flight (at most {} ms)", engine.options().drainTimeout().toMillis());
        try {
            engine.stop();
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void applyChange(GatewaySnapshot snapshot) {
        try {
            engine.apply(snapshot);
            log.info("Applied the changed config file {}", configFile.path());
        } catch (ConfigValidationException e) {
            rejectChange(e);
        } catch (RuntimeException e) {
            // The watcher thread must survive whatever one reload does; the old snapshot keeps serving.
            log.error("Could not apply the changed config file {}; still serving the last good config",
                    configFile.path(), e);
        }
    }

    private void rejectChange(ConfigValidationException e) {
        log.warn("Config file {} is invalid; still serving the last good config:{}",
                configFile.path(), ConfigErrors.asLines(e.errors()));
    }
}
