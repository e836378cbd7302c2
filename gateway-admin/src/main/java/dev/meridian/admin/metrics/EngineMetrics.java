package dev.meridian.admin.metrics;

import dev.meridian.engine.GatewayEngine;
import dev.meridian.engine.observe.ProxyStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exposes the engine's {@link ProxyStats} as Micrometer meters that read the engine's own
 * counters when scraped: the hot path keeps incrementing its {@code LongAdder}s and never calls
 * a meter registry (ARCHITECTURE.md, rule 6).
 *
 * <p>In Prometheus form: {@code meridian_requests_total}, {@code meridian_responses_total{class="5xx"}},
 * {@code meridian_requests_active}, {@code meridian_downstream_connections_active}, and the
 * upstream failure counters.
 */
public final class EngineMetrics implements MeterBinder {

    private final ProxyStats stats;

    public EngineMetrics(GatewayEngine engine) {
        this.stats = engine.stats();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "meridian.downstream.connections.accepted", stats.downstreamConnectionsTotal,
                "Downstream connections accepted");
        gauge(registry, "meridian.downstream.connections.active", stats.downstreamConnectionsActive,
                "Downstream connections open now");
        counter(registry, "meridian.requests", stats.requestsTotal, "Requests that reached routing");
        gauge(registry, "meridian.requests.active", stats.requestsActive, "Requests in flight");
        counter(registry, "meridian.requests.rejected", stats.requestsRejected,
                "Requests the decoder rejected: malformed framing, limits");
        responses(registry, "1xx", stats.responses1xx);
        responses(registry, "2xx", stats.responses2xx);
        responses(registry, "3xx", stats.responses3xx);
        responses(registry, "4xx", stats.responses4xx);
        responses(registry, "5xx", stats.responses5xx);
        counter(registry, "meridian.upstream.connections.opened", stats.upstreamConnectionsOpened,
                "Upstream connections opened");
        counter(registry, "meridian.upstream.connect.failures", stats.upstreamConnectFailures,
                "Upstream connection attempts that failed or timed out");
        counter(registry, "meridian.upstream.timeouts", stats.upstreamTimeouts,
                "Requests answered 504 because no response head came in time");
        counter(registry, "meridian.upstream.protocol.errors", stats.upstreamProtocolErrors,
                "Upstream responses that were not valid HTTP/1.1");
        counter(registry, "meridian.upstream.retries", stats.upstreamRetries, "Upstream attempts retried");
        counter(registry, "meridian.breaker.overflows", stats.breakerOverflows,
                "Requests refused with 503 because a cluster's circuit breaker was at a threshold");
        rejected(registry, "max_connections", stats.connectionsRejectedMaxConnections);
        rejected(registry, "max_connections_per_ip", stats.connectionsRejectedMaxPerIp);
        abuse(registry, "head_timeout", stats.requestHeadTimeouts);
        abuse(registry, "body_too_slow", stats.requestBodyTooSlow);
        abuse(registry, "rate_limited", stats.requestsRateLimited);
        abuse(registry, "body_too_large", stats.requestBodyTooLarge);
    }

    private static void responses(MeterRegistry registry, String statusClass, LongAdder adder) {
        FunctionCounter.builder("meridian.responses", adder, LongAdder::sum)
                .tag("class", statusClass)
                .description("Responses sent downstream, by status class")
                .register(registry);
    }

    private static void rejected(MeterRegistry registry, String limit, LongAdder adder) {
        FunctionCounter.builder("meridian.connections.rejected", adder, LongAdder::sum)
                .tag("limit", limit)
                .description("Connections reset right after accept because a listener limit was reached")
                .register(registry);
    }

    private static void abuse(MeterRegistry registry, String reason, LongAdder adder) {
        FunctionCounter.builder("meridian.requests.refused", adder, LongAdder::sum)
                .tag("reason", reason)
                .description("Requests refused by a slow-client, rate or size limit (408, 429, 413)")
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, LongAdder adder, String description) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, LongAdder adder, String description) {
        Gauge.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }
}
