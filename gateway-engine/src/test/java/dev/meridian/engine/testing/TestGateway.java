package dev.meridian.engine.testing;

import dev.meridian.engine.EngineOptions;
import dev.meridian.engine.GatewayEngine;
import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A running engine on an ephemeral loopback port, plus an HTTP/1.1 client aimed at it. */
public final class TestGateway implements AutoCloseable {

    public final GatewayEngine engine;
    public final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestGateway(GatewaySnapshot snapshot, int ioThreads) {
        engine = new GatewayEngine(new EngineOptions(ioThreads, true, Duration.ofSeconds(5)));
        engine.start(snapshot);
    }

    public static TestGateway start(GatewaySnapshot snapshot) {
        return new TestGateway(snapshot, 2);
    }

    /** One listener on 127.0.0.1:0, one round-robin cluster "backend" of the origins, route "/". */
    public static TestGateway forOrigins(TestOrigin... origins) {
        return start(snapshot(ClusterSpec.of("backend", endpoints(origins)), RouteSpec.prefix("/", "backend")));
    }

    public static GatewaySnapshot snapshot(ClusterSpec cluster, RouteSpec... routes) {
        return new GatewaySnapshot(List.of(ListenerSpec.of("http", "127.0.0.1:0")), List.of(cluster),
                List.of(routes));
    }

    public static List<EndpointSpec> endpoints(TestOrigin... origins) {
        List<EndpointSpec> eps = new ArrayList<>();
        for (TestOrigin o : origins) {
            eps.add(EndpointSpec.of(o.address()));
        }
        return eps;
    }

    public int port() {
        return engine.listeners().get(0).boundAddress().getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        engine.stop();
    }
}
