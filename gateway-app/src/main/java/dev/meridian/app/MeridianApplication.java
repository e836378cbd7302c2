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

    public static void main(String[] args) {
        SpringApplication.run(MeridianApplication.class, args);
    }
}
