package dev.meridian.admin.metrics;

import dev.meridian.engine.GatewayEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Auto-configuration that binds the application's {@link GatewayEngine} counters to Micrometer. */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(GatewayEngine.class)
public class EngineMetricsAutoConfiguration {

    @Bean
    public EngineMetrics engineMetrics(GatewayEngine engine) {
        return new EngineMetrics(engine);
    }

    /** The request-duration histogram, where the app serves Prometheus. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PrometheusRegistry.class)
    static class PrometheusHistograms {

        @Bean
        RequestDurationCollector requestDurationCollector(GatewayEngine engine,
                                                          ObjectProvider<PrometheusRegistry> registry) {
            RequestDurationCollector collector = new RequestDurationCollector(engine);
            registry.ifAvailable(r -> r.register(collector));
            return collector;
        }
    }
}
