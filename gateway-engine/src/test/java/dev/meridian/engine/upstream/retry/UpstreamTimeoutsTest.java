package dev.meridian.engine.upstream.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.RetryPolicySpec;
import dev.meridian.engine.config.RouteSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTimeoutsTest {

    private static final ClusterSpec CLUSTER = new ClusterSpec("c", null, 2000L, List.of(EndpointSpec.of("a:1")), null, null);

    @Test
    void routeOverridesTheClusterAndUnsetKeysInherit() {
        RouteSpec plain = RouteSpec.prefix("/", "c");
        assertThat(UpstreamTimeouts.of(plain, CLUSTER)).isEqualTo(new UpstreamTimeouts(2000, 0, 15_000, 0));

        RouteSpec tuned = new RouteSpec(null, null, "/", null, "c", 9000L, null, null,
                new RetryPolicySpec(null, 2, 3000L, null, null, null, null), 500L, 30_000L);
        assertThat(UpstreamTimeouts.of(tuned, CLUSTER)).isEqualTo(new UpstreamTimeouts(500, 3000, 9000, 30_000));
    }

    @Test
    void anAttemptWaitsForTheSmallerOfPerTryAndWhatIsLeftOfTheTotal() {
        UpstreamTimeouts t = new UpstreamTimeouts(1000, 3000, 9000, 0);
        assertThat(t.attemptTimeoutMs(9000)).isEqualTo(3000);
        assertThat(t.attemptTimeoutMs(1200)).isEqualTo(1200);
        assertThat(t.attemptTimeoutMs(0)).isEqualTo(1); // the total is handled by its own timer
        assertThat(new UpstreamTimeouts(1000, 0, 9000, 0).attemptTimeoutMs(4000)).isEqualTo(4000);
        assertThat(new UpstreamTimeouts(1000, 0, 0, 0).attemptTimeoutMs(0)).isZero(); // none at all
    }
}
