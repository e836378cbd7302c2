package dev.meridian.admin.metrics;

import dev.meridian.engine.GatewayEngine;
import dev.meridian.engine.observe.HistogramSnapshot;
import dev.meridian.engine.observe.LatencyHistogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Exports the engine's request-duration histogram as the Prometheus classic histogram
 * {@code meridian_request_duration_seconds} ({@code _bucket{le=...}}, {@code _count}, {@code _sum}).
 *
 * <p>The engine records into fixed buckets on its event loops ({@link LatencyHistogram}); this
 * collector reads them only when Prometheus scrapes. It registers with the Prometheus registry
 * directly because a Micrometer meter cannot take bucket counts kept elsewhere, and recording
 * through a Micrometer {@code Timer} on the hot path is what ARCHITECTURE.md rule 6 forbids.
 */
public final class RequestDurationCollector implements Collector {

    static final String NAME = "meridian_request_duration_seconds";

    private final GatewayEngine engine;

    public RequestDurationCollector(GatewayEngine engine) {
        this.engine = engine;
    }

    @Override
    public MetricSnapshot collect() {
        HistogramSnapshot s = engine.stats().requestDuration.snapshot();
        double[] bounds = new double[LatencyHistogram.BUCKETS];
        long[] counts = new long[LatencyHistogram.BUCKETS];
        System.arraycopy(LatencyHistogram.UPPER_BOUNDS_SECONDS, 0, bounds, 0, bounds.length - 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = s.bucketCount(i);
        }
        return io.prometheus.metrics.model.snapshots.HistogramSnapshot.builder()
                .name(NAME)
                .help("Time from a request head decoded to the end of its exchange")
                .unit(Unit.SECONDS)
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(s.sumSeconds())
                        .build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
