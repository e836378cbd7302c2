package dev.meridian.engine.cluster.health;

import dev.meridian.engine.config.HealthCheckSpec;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Objects;

/**
 * A validated, compiled active health check of one cluster: probe type, timing, thresholds, and
 * for HTTP the request to send and the statuses that count as healthy. Equal configs compare
 * equal, which is how a reload tells an unchanged check (keep probing, keep counters) from a
 * changed one.
 */
public final class HealthCheckConfig {

    /** How a probe decides. */
    public enum Type { TCP, HTTP }

    private final HealthCheckSpec spec;
    private final Type type;
    private final BitSet expected = new BitSet(600);

    private HealthCheckConfig(HealthCheckSpec spec) {
        this.spec = spec;
        this.type = HealthCheckSpec.TYPE_HTTP.equals(spec.type()) ? Type.HTTP : Type.TCP;
        for (String range : spec.effectiveExpectedStatuses()) {
            int dash = range.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(range.substring(dash + 1));
            expected.set(lo, hi + 1);
        }
    }

    /** The compiled form of a validated spec; {@code null} (no health check) gives {@code null}. */
    public static HealthCheckConfig of(HealthCheckSpec spec) {
        return spec == null ? null : new HealthCheckConfig(spec);
    }

    public Type type() {
        return type;
    }

    public long intervalMs() {
        return spec.intervalMs();
    }

    public long timeoutMs() {
        return spec.timeoutMs();
    }

    public long jitterMs() {
        return spec.jitterMs();
    }

    public int healthyThreshold() {
        return spec.healthyThreshold();
    }

    public int unhealthyThreshold() {
        return spec.unhealthyThreshold();
    }

    /** Whether an HTTP probe answered with {@code status} passes. */
    public boolean expects(int status) {
        return status >= 0 && status < 600 && expected.get(status);
    }

    /**
     * The HTTP/1.1 probe request: {@code Connection: close} so the origin ends the exchange
     * itself and no probe connection lingers; Host is the configured one or the endpoint's address.
     */
    public byte[] request(String endpointAddress) {
        String host = spec.host() != null ? spec.host() : endpointAddress;
        String text = spec.effectiveMethod() + ' ' + spec.effectivePath() + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: meridian-health-check\r\n"
                + "Connection: close\r\n\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthCheckConfig other && spec.equals(other.spec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec);
    }

    @Override
    public String toString() {
        return "HealthCheck" + spec;
    }
}
