package dev.meridian.app;

import dev.meridian.engine.GatewayEngine;
import dev.meridian.engine.ListenerStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Test-side access to a running gateway: the real port of a listener bound to port 0, and plain GETs. */
final class TestGateway {

    /** HTTP/1.1 only: the JDK client would otherwise offer an h2c upgrade the test does not mean to test. */
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private TestGateway() {
    }

    /** The port the engine's first listener is bound to, read anew because a reload may rebind. */
    static int port(GatewayEngine engine) {
        ListenerStatus listener = engine.listeners().get(0);
        if (!listener.bound()) {
            throw new IllegalStateException("listener " + listener.name() + " is not bound");
        }
        return listener.boundAddress().getPort();
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return CLIENT.send(request(url), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    /**
     * A config with one listener on 127.0.0.1:0, one cluster per origin (named after it), and the
     * route {@code /} to {@code routeTo}.
     */
    static String config(String routeTo, TestOrigin... origins) {
        StringBuilder toml = new StringBuilder("""
                [[listeners]]
                name = "test"
                address = "127.0.0.1:0"

                """);
        for (TestOrigin origin : origins) {
            toml.append("""
                    [[clusters]]
                    name = "%s"
                    endpoints = [ { address = "%s" } ]

                    """.formatted(origin.name(), origin.address()));
        }
        toml.append("""
                [[routes]]
                prefix = "/"
                cluster = "%s"
                """.formatted(routeTo));
        return toml.toString();
    }

    static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
