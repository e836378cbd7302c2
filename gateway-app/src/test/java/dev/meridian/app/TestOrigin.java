package dev.meridian.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An origin server for integration tests, bound to 127.0.0.1 on port 0: answers every request with
 * 200 and its name as the body, after an optional delay, and records what it received.
 */
final class TestOrigin implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstRequest = new CountDownLatch(1);

    private TestOrigin(String name, Duration delay) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            firstRequest.countDown();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // One thread per request so a slow response never holds up another.
        server.setExecutor(executor);
        server.start();
    }

    static TestOrigin start(String name) {
        return start(name, Duration.ZERO);
    }

    static TestOrigin start(String name, Duration delay) {
        try {
            return new TestOrigin(name, delay);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    /** The {@code host:port} to put in a cluster's endpoints. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request received so far, as {@code METHOD /path}. */
    List<String> received() {
        return List.copyOf(received);
    }

    boolean awaitFirstRequest(Duration timeout) throws InterruptedException {
        return firstRequest.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
