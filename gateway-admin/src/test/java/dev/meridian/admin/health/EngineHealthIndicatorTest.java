package dev.meridian.admin.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.meridian.engine.GatewayEngine;
import dev.meridian.engine.ListenerStatus;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class EngineHealthIndicatorTest {

    private final GatewayEngine engine = mock(GatewayEngine.class);
    private final EngineHealthIndicator indicator = new EngineHealthIndicator(engine);

    @Test
    void downWhenEngineIsNotRunning() {
        when(engine.isRunning()).thenReturn(false);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("running", false);
    }

    @Test
    void upWithEveryListenerAndItsBoundAddressWhenAllAreBound() {
        when(engine.isRunning()).thenReturn(true);
        when(engine.listeners()).thenReturn(List.of(
                new ListenerStatus("http", "0.0.0.0:8080", new InetSocketAddress("0.0.0.0", 8080), true),
                new ListenerStatus("alt", "127.0.0.1:0", new InetSocketAddress("127.0.0.1", 40123), true)));

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("listeners")).isEqualTo(Map.of(
                "http", Map.of("address", "0.0.0.0:8080", "bound", true, "boundAddress", "0.0.0.0:8080"),
                "alt", Map.of("address", "127.0.0.1:0", "bound", true, "boundAddress", "127.0.0.1:40123")));
    }

    @Test
    void writesIpv6BoundAddressesInBrackets() {
        assertThat(EngineHealthIndicator.hostPort(new InetSocketAddress("::", 8080))).isEqualTo("[0:0:0:0:0:0:0:0]:8080");
    }

    @Test
    void downNamingTheListenerThatIsNotBound() {
        when(engine.isRunning()).thenReturn(true);
        when(engine.listeners()).thenReturn(List.of(
                new ListenerStatus("http", "0.0.0.0:8080", new InetSocketAddress("0.0.0.0", 8080), true),
                new ListenerStatus("admin-mirror", "0.0.0.0:8081", null, false)));

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("listeners")).isEqualTo(Map.of(
                "http", Map.of("address", "0.0.0.0:8080", "bound", true, "boundAddress", "0.0.0.0:8080"),
                "admin-mirror", Map.of("address", "0.0.0.0:8081", "bound", false)));
    }
}
