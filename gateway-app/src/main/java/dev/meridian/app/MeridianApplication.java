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

    public static void main(String[] args) {
        // Netty's default ("simple") records a stack trace for a sample of buffer allocations:
        // about 1% of the proxy's CPU per small request under load (async-profiler, BENCHMARKS.md).
        // The engine's tests run with it on (and paranoid for the codec); a production proxy does
        // not pay for it. -Dio.netty.leakDetection.level=simple turns it back on to chase a leak.
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            System.setProperty(LEAK_DETECTION_PROPERTY, "disabled");
        }
        SpringApplication.run(MeridianApplication.class, args);
    }
}
