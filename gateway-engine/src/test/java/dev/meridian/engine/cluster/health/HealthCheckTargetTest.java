package dev.meridian.engine.cluster.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.HealthCheckSpec;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The verdict state machine, without sockets: {@link HealthCheckTarget#record} only. */
class HealthCheckTargetTest {

    private static HealthCheckTarget target(Endpoint e, int healthy, int unhealthy) {
        HealthCheckConfig config = HealthCheckConfig.of(
                new HealthCheckSpec("tcp", 50L, 50L, 0L, healthy, unhealthy, null, null, null, null));
        return new HealthCheckTarget(new EmbeddedChannel().eventLoop(), null, e, config);
    }

    @Test
    void healthyToUnhealthyOnlyAfterUnhealthyThresholdFailuresInARow() {
        Endpoint e = Endpoint.of(0, EndpointSpec.of("127.0.0.1:1"));
        HealthCheckTarget t = target(e, 1, 3);
        t.record(false);
        t.record(false);
        t.record(true); // breaks the run
        t.record(false);
        t.record(false);
        assertThat(e.state().healthy()).isTrue();
        t.record(false);
        assertThat(e.state().healthy()).isFalse();
    }

    @Test
    void unhealthyToHealthyOnlyAfterHealthyThresholdSuccessesInARow() {
        Endpoint e = Endpoint.of(0, EndpointSpec.of("127.0.0.1:1"));
        HealthCheckTarget t = target(e, 2, 1);
        t.record(false);
        assertThat(e.state().healthy()).isFalse();
        t.record(true);
        t.record(false);
        t.record(true);
        assertThat(e.state().healthy()).isFalse();
        t.record(true);
        assertThat(e.state().healthy()).isTrue();
    }

    @Test
    void anEjectedEndpointStaysUnavailableWhateverTheHealthCheckSays() {
        Endpoint e = Endpoint.of(0, EndpointSpec.of("127.0.0.1:1"));
        e.state().setEjected(true);
        target(e, 1, 1).record(true);
        assertThat(e.state().healthy()).isTrue();
        assertThat(e.available()).isFalse();
    }

    @Test
    void expectedStatusRangesAreInclusive() {
        HealthCheckConfig c = HealthCheckConfig.of(new HealthCheckSpec("http", null, null, null, null, null, null,
                null, null, java.util.List.of("200-299", "304")));
        assertThat(c.expects(200)).isTrue();
        assertThat(c.expects(299)).isTrue();
        assertThat(c.expects(304)).isTrue();
        assertThat(c.expects(300)).isFalse();
        assertThat(c.expects(-1)).isFalse();
        assertThat(HealthCheckConfig.of(HealthCheckSpec.http("/")).expects(399)).isTrue();
    }
}
