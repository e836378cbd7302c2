package dev.meridian.app;

import dev.meridian.engine.EngineOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Process-wide settings under {@code meridian.*}; what the gateway proxies lives in the config file,
 * not here.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>meridian.config-file</td><td>none</td><td>the TOML/YAML file to serve and watch; the first
 *       non-option command-line argument takes precedence</td></tr>
 *   <tr><td>meridian.io-threads</td><td>0</td><td>engine event loops; 0 means one per core</td></tr>
 *   <tr><td>meridian.prefer-native</td><td>true</td><td>epoll when available, NIO otherwise</td></tr>
 *   <tr><td>meridian.drain-timeout</td><td>15s</td><td>how long shutdown lets requests in flight
 *       finish ({@link EngineOptions#DEFAULT_DRAIN_TIMEOUT})</td></tr>
 *   <tr><td>meridian.warm-up</td><td>5s</td><td>synthetic loopback traffic through a private engine
 *       before the listeners open, so the first clients meet compiled code; 0s skips it</td></tr>
 * </table>
 *
 * @param configFile   path of the config file, or null
 * @param ioThreads    engine event loops, 0 for one per core
 * @param preferNative use the native transport when the platform has one
 * @param drainTimeout how long {@code GatewayEngine.stop()} waits for requests in flight
 * @param warmUp       how long the engine warms up on loopback before opening its listeners
 */
@ConfigurationProperties("meridian")
public record MeridianProperties(
        String configFile,
        @DefaultValue("0") int ioThreads,
        @DefaultValue("true") boolean preferNative,
        @DefaultValue("15s") Duration drainTimeout,
        @DefaultValue("5s") Duration warmUp) {

    /** The engine's view of these settings. */
    public EngineOptions engineOptions() {
        return new EngineOptions(ioThreads, preferNative, drainTimeout, warmUp);
    }
}
