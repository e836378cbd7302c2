package dev.meridian.admin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.EngineOptions;
import dev.meridian.engine.GatewayEngine;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestDurationCollectorTest {

    @Test
    void scrapeShowsTheEngineHistogramAsClassicPrometheusBuckets() throws Exception {
        GatewayEngine engine = new GatewayEngine(EngineOptions.defaults());
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new RequestDurationCollector(engine));

        engine.stats().requestDuration.record(800_000);       // 0.8 ms
        engine.stats().requestDuration.record(3_000_000);     // 3 ms
        engine.stats().requestDuration.record(2_000_000_000L); // 2 s

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("# TYPE meridian_request_duration_seconds histogram");
        assertThat(text).contains("meridian_request_duration_seconds_bucket{le=\"0.001\"} 1");
        assertThat(text).contains("meridian_request_duration_seconds_bucket{le=\"0.005\"} 2");
        assertThat(text).contains("meridian_request_duration_seconds_bucket{le=\"1.0\"} 2");
        assertThat(text).contains("meridian_request_duration_seconds_bucket{le=\"2.5\"} 3");
        assertThat(text).contains("meridian_request_duration_seconds_bucket{le=\"+Inf\"} 3");
        assertThat(text).contains("meridian_request_duration_seconds_count 3");
        assertThat(text).contains("meridian_request_duration_seconds_sum 2.0038");
    }
}
