package dev.meridian.engine;

import dev.meridian.engine.config.ConfigFormat;
import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.GatewaySnapshot;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies synthetic traffic through a private engine on loopback before the real listeners open,
 * so the JIT has compiled the request path when the first client arrives.
 *
 * <p>A cold JVM serves its first seconds at a fraction of its steady rate while it interprets and
 * compiles (on one core, the first 10 seconds ran at 62% of the steady rate: BENCHMARKS.md). Compiled
 * code is shared by every instance of a class, so requests through a throw-away engine with the same
 * options warm the codec, the exchange, the pools and the epoll transport that the real one uses.
 * The warm-up engine has its own snapshot, stats and event loops, all gone when it returns: nothing
 * of it is visible to clients, metrics or the admin API.
 *
 * <p>Traffic stays on 127.0.0.1: a tiny blocking origin on an ephemeral port, and {@link #CLIENTS}
 * blocking clients that rotate through the request shapes a gateway sees most: a GET with browser
 * headers, a POST with a body, and a GET answered with a chunked body.
 */
final class EngineWarmUp {

    private static final Logger log = LoggerFactory.getLogger(EngineWarmUp.class);

    /** Concurrent keep-alive clients: enough to keep the event loop busy without starving it. */
    static final int CLIENTS = 4;

    /** Requests per client connection before it reconnects (accept and close paths get warm too). */
    static final int REQUESTS_PER_CONNECTION = 500;

    private static final byte[] SMALL_RESPONSE = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 13\r\n\r\nHello, World!");
    private static final byte[] CHUNKED_RESPONSE = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n8\r\n, World!\r\n0\r\n\r\n");
    private static final String POST_BODY = "{\"warm\":\"" + "x".repeat(240) + "\"}";
    private static final byte[][] REQUESTS = {
        ascii("GET /warm/page?q=1 HTTP/1.1\r\nHost: warm.local\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: session=abc123; theme=dark\r\nConnection: keep-alive\r\n\r\n"),
        ascii("POST /warm/api HTTP/1.1\r\nHost: warm.local\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + POST_BODY.length() + "\r\n\r\n" + POST_BODY),
        ascii("GET /warm/chunked HTTP/1.1\r\nHost: warm.local\r\nAccept: */*\r\n\r\n"),
    };

    private EngineWarmUp() {
    }

    /**
     * Sends requests for {@code duration} (after the private engine is up) and returns how many were proxied.
     * Never throws: a warm-up that cannot run (no loopback, a port shortage) is logged and skipped.
     */
    static long run(EngineOptions options, Duration duration) {
        long start = System.nanoTime();
        AtomicLong done = new AtomicLong();
        try (Origin origin = Origin.start()) {
            GatewayEngine engine = new GatewayEngine(new EngineOptions(options.ioThreads(), options.preferNative(),
                    Duration.ZERO, Duration.ZERO), true);
            engine.start(snapshot(origin.port()));
            try {
                int port = engine.listeners().get(0).boundAddress().getPort();
                // Timed from the first request: starting the private engine is itself slow when cold.
                long deadline = System.nanoTime() + duration.toNanos();
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int first = i;
                    Thread t = new Thread(() -> drive(port, first, deadline, done), "meridian-warm-up-" + i);
                    t.setDaemon(true);
                    t.start();
                    clients.add(t);
                }
                for (Thread t : clients) {
                    t.join(duration.toMillis() + 5_000);
                }
            } finally {
                engine.stop();
            }
        } catch (Exception e) {
            log.warn("warm-up skipped: {}", e.toString());
        }
        log.info("warm-up: {} requests proxied on loopback in {} ms", done.get(),
                (System.nanoTime() - start) / 1_000_000);
        return done.get();
    }

    private static GatewaySnapshot snapshot(int originPort) {
        return ConfigLoader.parse("""
                [[listeners]]
                name = "warm-up"
                address = "127.0.0.1:0"

                [[clusters]]
                name = "warm-up"
                endpoints = [ { address = "127.0.0.1:%d" } ]

                [[routes]]
                prefix = "/"
                cluster = "warm-up"
                """.formatted(originPort), ConfigFormat.TOML);
    }

    /**
     * One keep-alive client: request, whole response, next request, until the deadline, on a new
     * connection every {@link #REQUESTS_PER_CONNECTION} requests. The reconnects matter: code
     * compiled while no connection ever closed is thrown away (deoptimised) the first time real
     * clients come and go, which cost a measurable burst of compilation on the proxy's core.
     */
    private static void drive(int port, int first, long deadline, AtomicLong done) {
        int i = first;
        while (System.nanoTime() - deadline < 0) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(5_000);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (int n = 0; n < REQUESTS_PER_CONNECTION && System.nanoTime() - deadline < 0; n++, i++) {
                    out.write(REQUESTS[i % REQUESTS.length]);
                    out.flush();
                    if (readResponse(in) != 200) {
                        return;
                    }
                    done.incrementAndGet();
                }
            } catch (IOException e) {
                log.debug("warm-up client ended: {}", e.toString());
                return;
            }
        }
    }

    /** Reads one response with a Content-Length or chunked body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        long length = readFields(in);
        if (length == CHUNKED) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else {
            skip(in, length);
        }
        return status.length() >= 12 ? Integer.parseInt(status.substring(9, 12)) : -1;
    }

    /** {@link #readFields}'s answer for a chunked body. */
    private static final long CHUNKED = -1;

    /** Reads field lines to the empty line; returns the Content-Length, {@link #CHUNKED}, or 0. */
    private static long readFields(InputStream in) throws IOException {
        long length = 0;
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            String h = l.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                length = CHUNKED;
            }
        }
        return length;
    }

    private static void skip(InputStream in, long n) throws IOException {
        for (long left = n; left > 0; left--) {
            if (in.read() < 0) {
                throw new IOException("closed mid-body");
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("closed mid-line");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The warm-up origin: a thread per connection, a fixed answer per path. */
    private static final class Origin implements AutoCloseable {

        private final ServerSocket server;

        private Origin(ServerSocket server) {
            this.server = server;
        }

        static Origin start() throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            Origin origin = new Origin(server);
            Thread acceptor = new Thread(origin::accept, "meridian-warm-up-origin");
            acceptor.setDaemon(true);
            acceptor.start();
            return origin;
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "meridian-warm-up-origin-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (;;) {
                    String requestLine = line(in);
                    skip(in, readFields(in)); // the proxy sends these bodies with a Content-Length
                    out.write(requestLine.contains("/chunked") ? CHUNKED_RESPONSE : SMALL_RESPONSE);
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                // the proxy closed its pooled connection: this connection's work is done
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
