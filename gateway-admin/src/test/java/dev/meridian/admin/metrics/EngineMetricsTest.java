package dev.meridian.admin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.EngineOptions;
import dev.meridian.engine.GatewayEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {

    @Test
    void metersReadTheEngineCountersWhenScraped() {
        GatewayEngine engine = new GatewayEngine(EngineOptions.defaults());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new EngineMetrics(engine).bindTo(registry);

        engine.stats().requestsTotal.add(3);
        engine.stats().countResponse(200);
        engine.stats().countResponse(502);
        engine.stats().countResponse(504);
        engine.stats().requestsActive.increment();

        assertThat(registry.get("meridian.requests").functionCounter().count()).isEqualTo(3);
        assertThat(registry.get("meridian.responses").tag("class", "2xx").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("meridian.responses").tag("class", "5xx").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("meridian.requests.active").gauge().value()).isEqualTo(1);

        engine.stats().breakerOverflows.add(2);
        engine.stats().requestsRateLimited.increment();
        assertThat(registry.get("meridian.breaker.overflows").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("meridian.requests.refused").tag("reason", "rate_limited").functionCounter().count())
                .isEqualTo(1);
    }
}
