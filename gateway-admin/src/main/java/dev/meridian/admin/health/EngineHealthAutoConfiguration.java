package dev.meridian.admin.health;

import dev.meridian.engine.GatewayEngine;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that contributes the {@code engine} health component for the application's
 * {@link GatewayEngine} bean.
 *
 * <p>Conditional on that bean so the admin library can be used (and tested) without an engine, and
 * switched off like any Boot indicator with {@code management.health.engine.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(GatewayEngine.class)
@ConditionalOnEnabledHealthIndicator("engine")
public class EngineHealthAutoConfiguration {

    /** The bean name gives the component its name: {@code engine}. */
    @Bean
    @ConditionalOnMissingBean(name = "engineHealthIndicator")
    public EngineHealthIndicator engineHealthIndicator(GatewayEngine engine) {
        return new EngineHealthIndicator(engine);
    }
}
