package dev.meridian.engine;

import dev.meridian.engine.config.ConfigFormat;
import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
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
import reactor.netty.resources.LoopResources;
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
 * It runs on the real engine's event loops, so what is per thread (the allocator's cache, the
 * recycler's pools, per-loop balancer and breaker state) is warm as well. Its snapshot, stats,
 * listener and connections are its own, all gone when it returns: nothing of it is visible to
 * clients, metrics or the admin API.
 *
 * <p>Traffic stays on 127.0.0.1: a tiny blocking origin on an ephemeral port, and {@link #CLIENTS}
 * blocking clients that rotate through the request shapes a gateway sees most: a bare GET (start
 * line and Host, as load generators and probes send), a GET with browser headers, a POST with a
 * body, a GET answered with a chunked body, and a GET whose answer arrives in two writes; the
 * origin answers with the fields a web server sends (Server, Date, ETag, Connection, ...). Every connection ends with a {@code Connection: close} request, and one client
 * also resets a connection with its request in flight and sends a request the codec refuses, after
 * each of its connections.
 *
 * <p>Those endings matter as much as the requests. C2 compiles the write, flush and release paths
 * for the message and promise types it has seen; the first client that leaves mid-response (wrk
 * at the end of every run, a browser tab closed) sends another type down them, and the compiled
 * code, among it the event loop's own, is thrown away and compiled again on the proxy's core. On
 * one core that burst took 0.5 s of CPU 30 to 60 s after start, with the loop stalled meanwhile
 * (a p99 cost); seen here, it no longer reaches real clients.
 */
final class EngineWarmUp {

    private static final Logger log = LoggerFactory.getLogger(EngineWarmUp.class);

    /**
     * Concurrent keep-alive clients. As many requests in flight as a loaded listener has: with 4,
     * the recycler's batches and the pools' queues never grew as they do under 50 connections, and
     * the first real clients took the JIT's traps there.
     */
    static final int CLIENTS = 32;

    /** Requests per client connection before it reconnects (accept and close paths get warm too). */
    static final int REQUESTS_PER_CONNECTION = 500;

    /** As a web server answers a small file: its usual fields, a Connection value to read. */
    private static final byte[] SMALL_RESPONSE = ascii("HTTP/1.1 200 OK\r\nServer: warm-up\r\n"
            + "Date: Thu, 26 Nov 2026 23:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
            + "Last-Modified: Thu, 26 Nov 2026 22:00:00 GMT\r\nConnection: keep-alive\r\n"
            + "ETag: \"6766a1c0-d\"\r\nAccept-Ranges: bytes\r\n\r\nHello, World!");
    private static final byte[] CHUNKED_RESPONSE = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n8\r\n, World!\r\n0\r\n\r\n");
    private static final String POST_BODY = "{\"warm\":\"" + "x".repeat(240) + "\"}";
    private static final byte[][] REQUESTS = {
        // What load generators and health probes send: a start line and a Host field.
        ascii("GET /warm/small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        ascii("GET /warm/page?q=1 HTTP/1.1\r\nHost: warm.local\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: session=abc123; theme=dark\r\nConnection: keep-alive\r\n\r\n"),
        ascii("POST /warm/api HTTP/1.1\r\nHost: warm.local\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + POST_BODY.length() + "\r\n\r\n" + POST_BODY),
        ascii("GET /warm/chunked HTTP/1.1\r\nHost: warm.local\r\nAccept: */*\r\n\r\n"),
        ascii("GET /warm/split HTTP/1.1\r\nHost: warm.local\r\nAccept: */*\r\n\r\n"),
    };
    /** The last request of every connection: the proxy answers, then closes. */
    private static final byte[] CLOSING_REQUEST = ascii("GET /warm/last HTTP/1.1\r\nHost: warm.local\r\n"
            + "Connection: close\r\n\r\n");
    /** Sent on a connection that is reset at once; the origin answers it late, to a client gone. */
    private static final byte[] ABANDONED_REQUEST = ascii("GET /warm/slow HTTP/1.1\r\nHost: warm.local\r\n\r\n");
    /** Two Content-Length fields: the codec refuses it (400) and the proxy closes. */
    private static final byte[] REFUSED_REQUEST = ascii("POST /warm/api HTTP/1.1\r\nHost: warm.local\r\n"
            + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    /** The client that ends each of its connections with a reset and a refused request as well. */
    private static final int ROUGH_CLIENT = CLIENTS - 1;
    /** Times every client pauses together during the warm-up, and for how long. */
    private static final int PAUSES = 3;
    private static final long PAUSE_MILLIS = 50;
    /** The settle phase probes the JIT's compile time this often... */
    private static final long SETTLE_PROBE_MILLIS = 250;
    /** ...and ends once compiling took less than this share of a core between probes, this many times running. */
    private static final long SETTLED_COMPILE_SHARE_PERCENT = 10;
    private static final int SETTLED_PROBES = 3;
    /**
     * The warm-up route's {@code timeout_ms}: shorter than the listener's request head timeout, so
     * the first request of every connection moves the connection's timer earlier (cancelled and
     * armed again). With the defaults that happens only once a timer has fired, ~10 s into a
     * connection's life: compiled without it, five exchange and handler methods took an uncommon
     * trap there under real load and were compiled again on the proxy's core (~150 ms of C2).
     */
    static final long ROUTE_TIMEOUT_MS = ListenerSpec.DEFAULT_REQUEST_HEAD_TIMEOUT_MS / 2;
    /** How long the origin holds {@code /warm/slow}: long enough that the client has reset first. */
    private static final long SLOW_ANSWER_MILLIS = 2;

    private EngineWarmUp() {
    }

    /**
     * What a warm-up did: requests proxied whole, connections a client left mid-request, and
     * clients that stopped before the end (an answer not as expected, a broken connection).
     */
    record Result(long requests, long roughEndings, long clientsEndedEarly) {
    }

    /**
     * Sends requests for {@code duration} (after the private engine is up), and on while the JIT is
     * still busy compiling, for at most {@code duration} more; returns what was sent.
     * Never throws: a warm-up that cannot run (no loopback, a port shortage) is logged and skipped.
     */
    static Result run(EngineOptions options, Duration duration, LoopResources loops) {
        return run(options, duration, loops, REQUESTS_PER_CONNECTION);
    }

    static Result run(EngineOptions options, Duration duration, LoopResources loops, int requestsPerConnection) {
        long began = System.nanoTime();
        AtomicLong done = new AtomicLong();
        AtomicLong rough = new AtomicLong();
        AtomicLong endedEarly = new AtomicLong();
        try (Origin origin = Origin.start()) {
            GatewayEngine engine = new GatewayEngine(new EngineOptions(options.ioThreads(), options.preferNative(),
                    Duration.ZERO, Duration.ZERO), loops);
            engine.start(snapshot(origin.port(), 0));
            try {
                int port = engine.listeners().get(0).boundAddress().getPort();
                // Timed from the first request: starting the private engine is itself slow when cold.
                long start = System.nanoTime();
                Traffic traffic = new Traffic(start, duration.toNanos() / (PAUSES + 1));
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int first = i;
                    Thread t = new Thread(() -> drive(port, first, requestsPerConnection, traffic, done, rough, endedEarly),
                            "meridian-warm-up-" + i);
                    t.setDaemon(true);
                    t.start();
                    clients.add(t);
                }
                for (int p = 1; p <= PAUSES + 1; p++) {
                    Thread.sleep(duration.toMillis() / (PAUSES + 1));
                    if (p <= PAUSES) {
                        // A new cluster each time: its breaker takes its first per-loop leases in
                        // compiled code, as the real engine's new cluster will with the first clients.
                        engine.apply(snapshot(origin.port(), p));
                    }
                }
                settle(duration);
                traffic.stop = true;
                for (Thread t : clients) {
                    t.join(5_000);
                }
            } finally {
                engine.stop();
            }
        } catch (Exception e) {
            log.warn("warm-up skipped: {}", e.toString());
        }
        if (endedEarly.get() > 0) {
            // The warm-up still counts (what ran was compiled); the cause is in the debug log.
            log.warn("warm-up: {} of its clients ended early (an unexpected answer or a broken connection)",
                    endedEarly.get());
        }
        log.info("warm-up: {} requests proxied on loopback in {} ms", done.get(),
                (System.nanoTime() - began) / 1_000_000);
        return new Result(done.get(), rough.get(), endedEarly.get());
    }

    /**
     * Keeps the traffic going, for at most {@code limit} more, while the JIT still compiles: on a
     * slow or busy core the compile queue lags the traffic, and every method C2 has not finished
     * when the listeners open is compiled on the proxy's core while it serves real clients.
     */
    private static void settle(Duration limit) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long end = System.nanoTime() + limit.toNanos();
        int quiet = 0;
        for (long before = jit.getTotalCompilationTime(); quiet < SETTLED_PROBES && System.nanoTime() - end < 0; ) {
            Thread.sleep(SETTLE_PROBE_MILLIS);
            long now = jit.getTotalCompilationTime();
            // The total grows when a compilation ends: one long C2 task can make one probe look quiet.
            quiet = now - before < SETTLE_PROBE_MILLIS * SETTLED_COMPILE_SHARE_PERCENT / 100 ? quiet + 1 : 0;
            before = now;
        }
    }

    /** When the clients pause together (idle loop, idle-timer paths) and when they stop. */
    private static final class Traffic {
        private final long start;
        private final long pauseEvery;
        volatile boolean stop;

        Traffic(long start, long pauseEvery) {
            this.start = start;
            this.pauseEvery = pauseEvery;
        }

        /** The pause, 1 to {@link EngineWarmUp#PAUSES}, that is due at {@code now}, or 0. */
        int pauseDue(long now) {
            long n = (now - start) / pauseEvery;
            return n >= 1 && n <= PAUSES ? (int) n : 0;
        }
    }

    /** The warm-up's config; each {@code generation} names its cluster anew (a new breaker, new pools). */
    private static GatewaySnapshot snapshot(int originPort, int generation) {
        return ConfigLoader.parse("""
                [[listeners]]
                name = "warm-up"
                address = "127.0.0.1:0"

                [[clusters]]
                name = "warm-up-%d"
                endpoints = [ { address = "127.0.0.1:%d" } ]

                [[routes]]
                prefix = "/"
                cluster = "warm-up-%d"
                timeout_ms = %d
                """.formatted(generation, originPort, generation, ROUTE_TIMEOUT_MS), ConfigFormat.TOML);
    }

    /**
     * One keep-alive client: request, whole response, next request, until told to stop, on a new
     * connection every {@link #REQUESTS_PER_CONNECTION} requests, the last of them asking to close;
     * it pauses with the others {@link #PAUSES} times.
     * The reconnects matter: code compiled while no connection ever closed is thrown away
     * (deoptimised) the first time real clients come and go, which cost a measurable burst of
     * compilation on the proxy's core. {@link #ROUGH_CLIENT} also leaves the way real clients
     * leave badly, after each connection.
     */
    private static void drive(int port, int first, int requestsPerConnection, Traffic traffic, AtomicLong done,
            AtomicLong rough, AtomicLong endedEarly) {
        int i = first;
        int paused = 0;
        while (!traffic.stop) {
            try (Socket s = connect(port)) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (int n = 0; n < requestsPerConnection && !traffic.stop; n++, i++) {
                    int due = traffic.pauseDue(System.nanoTime());
                    if (due > paused) {
                        // All clients at once: the loop blocks in epoll_wait with idle timers armed.
                        paused = due;
                        Thread.sleep(PAUSE_MILLIS);
                    }
                    boolean last = n == requestsPerConnection - 1;
                    out.write(last ? CLOSING_REQUEST : REQUESTS[i % REQUESTS.length]);
                    out.flush();
                    int status = readResponse(in);
                    if (status != 200) {
                        log.debug("warm-up client ended: answered {}", status);
                        endedEarly.incrementAndGet();
                        return;
                    }
                    done.incrementAndGet();
                }
                if (first == ROUGH_CLIENT) {
                    leaveBadly(port);
                    rough.incrementAndGet();
                }
            } catch (IOException e) {
                log.debug("warm-up client ended: {}", e.toString());
                if (!traffic.stop) {
                    endedEarly.incrementAndGet();
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Resets a connection with its request in flight (the proxy then writes to, or learns of, a
     * client gone mid-exchange), shuts the sending side of another after its request, and sends
     * a request the codec refuses on a third, which the proxy answers with a 400 and closes.
     */
    private static void leaveBadly(int port) throws IOException {
        try (Socket reset = connect(port)) {
            reset.setSoLinger(true, 0); // close() sends RST, as a killed client's kernel does
            reset.getOutputStream().write(ABANDONED_REQUEST);
            reset.getOutputStream().flush();
        }
        try (Socket halfClosed = connect(port)) {
            // Request sent, then our side shut (wrk and scripts leave so): answered, then closed.
            halfClosed.getOutputStream().write(REQUESTS[0]);
            halfClosed.shutdownOutput();
            if (readResponse(new BufferedInputStream(halfClosed.getInputStream())) != 200) {
                throw new IOException("the warm-up's half-closed request was not answered 200");
            }
        }
        try (Socket refused = connect(port)) {
            refused.getOutputStream().write(REFUSED_REQUEST);
            refused.getOutputStream().flush();
            if (readResponse(new BufferedInputStream(refused.getInputStream())) != 400) {
                throw new IOException("the warm-up's refused request was not answered 400");
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        s.setSoTimeout(5_000);
        return s;
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
                    if (requestLine.contains("/chunked")) {
                        out.write(CHUNKED_RESPONSE);
                    } else if (requestLine.contains("/split")) {
                        // Head and body in two segments: the proxy may read them apart.
                        int headEnd = SMALL_RESPONSE.length - 13;
                        out.write(SMALL_RESPONSE, 0, headEnd);
                        out.flush();
                        out.write(SMALL_RESPONSE, headEnd, 13);
                    } else {
                        if (requestLine.contains("/slow")) {
                            Thread.sleep(SLOW_ANSWER_MILLIS);
                        }
                        out.write(SMALL_RESPONSE);
                    }
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
