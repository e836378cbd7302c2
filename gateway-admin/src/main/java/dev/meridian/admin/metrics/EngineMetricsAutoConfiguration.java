package dev.meridian.admin.metrics;

import dev.meridian.engine.GatewayEngine;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** Auto-configuration that binds the application's {@link GatewayEngine} counters to Micrometer. */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(GatewayEngine.class)
public class EngineMetricsAutoConfiguration {

    @Bean
    public EngineMetrics engineMetrics(GatewayEngine engine) {
        return new EngineMetrics(engine);
    }
}
