package dev.meridian.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Meridian process: the engine serves the data-plane listeners while Spring Boot serves the
 * management port (Actuator now; admin API and dashboard later).
 *
 * <p>Run it as {@code java -jar meridian.jar proxy.toml}, or {@code java -jar meridian.jar
 * --spring.profiles.active=demo} to try it against two built-in origins.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MeridianApplication {

    /** Netty's buffer leak detection level, unless the operator sets {@code -Dio.netty.leakDetection.level}. */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    /** Which share of new pooled objects (buffers, cache entries) Netty's Recycler keeps. */
    static final String RECYCLER_RATIO_PROPERTY = "io.netty.recycler.ratio";

    public static void main(String[] args) {
        applyNettyDefaults();
        SpringApplication.run(MeridianApplication.class, args);
    }

    /** The proxy's Netty settings, set before Netty reads them; an operator's {@code -D} wins. */
    static void applyNettyDefaults() {
        // Netty's default ("simple") records a stack trace for a sample of buffer allocations:
        // about 1% of the proxy's CPU per small request under load (async-profiler, BENCHMARKS.md).
        // The engine's tests run with it on (and paranoid for the codec); a production proxy does
        // not pay for it. -Dio.netty.leakDetection.level=simple turns it back on to chase a leak.
        defaultProperty(LEAK_DETECTION_PROPERTY, "disabled");
        // Netty's default keeps 1 in 8 new objects for reuse; under a proxy's steady churn the
        // other 7 were allocated anew per request (PooledUnsafeDirectByteBuf and thread-cache
        // entries: 3.3% of the event loop's samples in Recycler.newObject). Keeping every one
        // removes that; the per-thread capacity (4096) still bounds the pool.
        defaultProperty(RECYCLER_RATIO_PROPERTY, "1");
    }

    /** Sets a system property before Netty reads it, unless the operator already set it. */
    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
