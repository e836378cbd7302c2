package dev.meridian.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoConfigFileTest {

    @Test
    void extractedDemoConfigLoadsAsTheReferenceExample() throws Exception {
        Path file = DemoConfigFile.extract();
        try {
            GatewaySnapshot snapshot = ConfigLoader.load(file);

            assertThat(snapshot.listeners()).containsExactly(ListenerSpec.of("http", "0.0.0.0:8080"));
            assertThat(snapshot.clusters()).containsExactly(ClusterSpec.of("backend",
                    List.of(EndpointSpec.of("127.0.0.1:9001"), EndpointSpec.of("127.0.0.1:9002"))));
            assertThat(snapshot.routes()).containsExactly(RouteSpec.prefix("/", "backend"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
