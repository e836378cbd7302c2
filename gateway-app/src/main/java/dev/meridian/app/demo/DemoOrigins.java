package dev.meridian.app.demo;

import dev.meridian.app.engine.EngineLifecycle;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Two tiny origin servers for the demo: each answers any request with 200 and a body naming its
 * port, so round-robin balancing is visible with curl.
 *
 * <p>Every response carries {@code X-Demo-Origin: <port>} and {@code X-Demo-Request: <method> <path>}
 * (what the origin received, to show what the proxy forwarded). The phase is below the engine's so
 * the origins accept before the engine routes to them and close only after it has drained.
 */
public final class DemoOrigins implements SmartLifecycle {

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The endpoints of cluster {@code backend} in {@code demo/proxy.toml}. */
    public static final List<Integer> DEFAULT_PORTS = List.of(9001, 9002);

    private static final Logger log = LoggerFactory.getLogger(DemoOrigins.class);

    private final String host;
    private final List<Integer> ports;
    private final List<DisposableServer> servers = new ArrayList<>();

    public DemoOrigins(String host, List<Integer> ports) {
        this.host = host;
        this.ports = List.copyOf(ports);
    }

    @Override
    public synchronized void start() {
        for (int port : ports) {
            servers.add(origin(port));
            log.info("Demo origin listening on http://{}:{}/", host, port);
        }
    }

    @Override
    public synchronized void stop() {
        servers.forEach(DisposableServer::disposeNow);
        servers.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !servers.isEmpty();
    }

    @Override
    public int getPhase() {
        return EngineLifecycle.PHASE - 1;
    }

    private DisposableServer origin(int port) {
        byte[] body = ("hello from demo origin " + port + "\n").getBytes(StandardCharsets.UTF_8);
        return HttpServer.create()
                .host(host)
                .port(port)
                .handle((request, response) -> response.status(HttpResponseStatus.OK)
                        .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                        // A fixed length keeps the demo independent of chunked-encoding support.
                        .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                        .header("X-Demo-Origin", Integer.toString(port))
                        .header("X-Demo-Request", request.method().name() + " " + request.uri())
                        .sendByteArray(Mono.just(body)))
                .bindNow();
    }
}
