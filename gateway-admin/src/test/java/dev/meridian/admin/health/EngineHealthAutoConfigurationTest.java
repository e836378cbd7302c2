package dev.meridian.admin.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.EngineOptions;
import dev.meridian.engine.GatewayEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EngineHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    HealthContributorAutoConfiguration.class, EngineHealthAutoConfiguration.class));

    @Test
    void contributesTheEngineComponentWhenThereIsAnEngine() {
        runner.withBean(GatewayEngine.class, () -> new GatewayEngine(EngineOptions.defaults()))
                .run(context -> assertThat(context).hasSingleBean(EngineHealthIndicator.class)
                        .hasBean("engineHealthIndicator"));
    }

    @Test
    void backsOffWithoutAnEngine() {
        runner.run(context -> assertThat(context).doesNotHaveBean(EngineHealthIndicator.class));
    }

    @Test
    void backsOffWhenTheIndicatorIsDisabled() {
        runner.withBean(GatewayEngine.class, () -> new GatewayEngine(EngineOptions.defaults()))
                .withPropertyValues("management.health.engine.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(EngineHealthIndicator.class));
    }
}
