package dev.meridian.app.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code demo} profile: starts the two demo origins; {@code EngineConfiguration} then serves
 * {@code demo/proxy.toml} unless a config file is named.
 */
@Configuration(proxyBeanMethods = false)
@Profile(DemoConfiguration.PROFILE)
public class DemoConfiguration {

    /** The profile name, as given to {@code --spring.profiles.active}. */
    public static final String PROFILE = "demo";

    @Bean
    DemoOrigins demoOrigins() {
        return new DemoOrigins(DemoOrigins.DEFAULT_HOST, DemoOrigins.DEFAULT_PORTS);
    }
}
