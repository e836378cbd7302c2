package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.WithTestOrigin;
import dev.meridian.engine.testing.TestOrigin;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 request path end to end over real sockets, against a real origin. */
class ProxyIntegrationTest extends WithTestOrigin {

    @Test
    void forwardsRequestWithForwardedHeadersAndWithoutHopByHopOnes() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin)) {
            RawHttp.Response r = RawHttp.exchange(gw.port(), "GET /hello?x=1 HTTP/1.1\r\n"
                    + "Host: shop.example\r\n"
                    + "Connection: keep-alive, X-Secret-Hop\r\n"
                    + "X-Secret-Hop: drop-me\r\n"
                    + "Keep-Alive: timeout=5\r\n"
                    + "TE: trailers\r\n"
                    + "X-Forwarded-For: 203.0.113.7\r\n"
                    + "X-Forwarded-Proto: https\r\n"
                    + "X-Custom: kept\r\n\r\n");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).startsWith("o1 GET /hello?x=1 0 ");
            // The origin's own hop-by-hop headers do not reach the client either.
            assertThat(r.header("x-hop")).isNull();
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("x-origin")).isEqualTo("o1");

            TestOrigin.Received got = origin.received.poll();
            assertThat(got.header("host")).isEqualTo("shop.example");
            assertThat(got.header("x-custom")).isEqualTo("kept");
            assertThat(got.header("x-secret-hop")).isNull();
            assertThat(got.header("keep-alive")).isNull();
            assertThat(got.header("te")).isNull();
            assertThat(got.header("connection")).isNull();
            assertThat(got.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
            assertThat(got.header("x-forwarded-proto")).isEqualTo("http");
            assertThat(got.header("x-forwarded-host")).isEqualTo("shop.example");
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            c.send("GET /slow?ms=300 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /third HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /fourth HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

            assertThat(c.read().bodyText()).isEqualTo("slow o1");
            assertThat(c.read().bodyText()).startsWith("o1 GET /second 0 ");
            assertThat(c.read().bodyText()).startsWith("o1 POST /third 5 ");
            RawHttp.Response last = c.read();
            assertThat(last.bodyText()).startsWith("o1 GET /fourth 0 ");
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void passesChunkedRequestBodyAndTrailersByteExact() throws Exception {
        byte[] part1 = "first-part;".getBytes(StandardCharsets.US_ASCII);
        byte[] part2 = new byte[70_000];
        for (int i = 0; i < part2.length; i++) {
            part2[i] = (byte) (i * 31);
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        raw.write((Integer.toHexString(part1.length) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.write(part1);
        raw.write(("\r\n" + Integer.toHexString(part2.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.write(part2);
        raw.write("\r\n0\r\nX-Trailer: t-value\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(part1);
        sha.update(part2);

        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response r = c.send(raw.toByteArray()).read();

            assertThat(r.status()).isEqualTo(200);
            TestOrigin.Received got = origin.received.poll();
            assertThat(got.bodyBytes()).isEqualTo(part1.length + part2.length);
            assertThat(got.bodySha256()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
            assertThat(got.trailer()).isEqualTo("t-value");
        }
    }

    @Test
    void passesChunkedResponseWithTrailers() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response r = c.send("GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n").read();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.bodyText()).isEqualTo("alpha-beta-gamma");
            assertThat(r.trailers()).containsEntry("x-checksum", "abc123");
            // Still usable afterwards: keep-alive survived the chunked exchange.
            assertThat(c.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void closeDelimitedResponseIsRechunkedForHttp11AndCloseDelimitedForHttp10() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin)) {
            try (RawHttp c = new RawHttp(gw.port())) {
                RawHttp.Response r = c.send("GET /close-delimited HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
                assertThat(r.bodyText()).isEqualTo("until-close");
            }
            RawHttp.Response r10 = RawHttp.exchange(gw.port(), "GET /close-delimited HTTP/1.0\r\n\r\n");
            assertThat(r10.header("transfer-encoding")).isNull();
            assertThat(r10.bodyText()).isEqualTo("until-close");
        }
    }

    @Test
    void headResponseKeepsContentLengthAndHasNoBody() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response head = c.send("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isNotNull();
            assertThat(head.body()).isEmpty();
            // The next response on the same connection parses cleanly: no stray body bytes.
            assertThat(c.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText()).startsWith("o1 GET /y");
        }
    }

    @Test
    void answersExpectContinueThenForwardsBody() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            c.send("PUT /put HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = c.read();
            assertThat(interim.status()).isEqualTo(100);
            RawHttp.Response r = c.send("data").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).startsWith("o1 PUT /put 4 ");
            assertThat(origin.received.poll().header("expect")).isNull();
        }
    }

    @Test
    void unknownPathGets404WithGenericBody() throws Exception {
        try (TestGateway gw = TestGateway.start(TestGateway.snapshot(
                ClusterSpec.of("secret-cluster", TestGateway.endpoints(origin)),
                RouteSpec.prefix("/api", "secret-cluster")))) {
            HttpResponse<String> r = gw.get("/other");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("Not Found\n");
            assertThat(origin.received).isEmpty();
            assertThat(gw.get("/api/x").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void localErrorResponseKeepsTheConnectionAlive() throws Exception {
        try (TestGateway gw = TestGateway.start(TestGateway.snapshot(
                ClusterSpec.of("backend", TestGateway.endpoints(origin)), RouteSpec.prefix("/api", "backend")));
             RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response notFound = c.send("GET /nope HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.header("connection")).isNull();
            assertThat(c.send("GET /api/x HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void routesByLongestPrefixAndHost() throws Exception {
        try (TestOrigin other = TestOrigin.start("o2");
             TestGateway gw = TestGateway.start(new dev.meridian.engine.config.GatewaySnapshot(
                     List.of(dev.meridian.engine.config.ListenerSpec.of("http", "127.0.0.1:0")),
                     List.of(ClusterSpec.of("one", TestGateway.endpoints(origin)),
                             ClusterSpec.of("two", TestGateway.endpoints(other))),
                     List.of(RouteSpec.prefix("/", "one"),
                             RouteSpec.prefix("/api/v2", "two"),
                             new RouteSpec("by-host", "admin.example", "/", null, "two", null))))) {
            assertThat(gw.get("/api/v1/x").body()).startsWith("o1 ");
            assertThat(gw.get("/api/v2/x").body()).startsWith("o2 ");
            RawHttp.Response byHost = RawHttp.exchange(gw.port(), "GET /api/v1 HTTP/1.1\r\nHost: Admin.Example:8080\r\n\r\n");
            assertThat(byHost.bodyText()).startsWith("o2 ");
        }
    }

    @Test
    void originDownGets502WithinConnectTimeout() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        ClusterSpec cluster = new ClusterSpec("dead", null, 2000L,
                List.of(EndpointSpec.of("127.0.0.1:" + deadPort)), null, null);
        try (TestGateway gw = TestGateway.start(TestGateway.snapshot(cluster, RouteSpec.prefix("/", "dead")))) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = gw.get("/");
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();

            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).isEqualTo("Bad Gateway\n");
            assertThat(ms).isLessThan(2000);
        }
    }

    @Test
    void slowOriginGets504AfterRouteTimeout() throws Exception {
        ClusterSpec cluster = ClusterSpec.of("backend", TestGateway.endpoints(origin));
        RouteSpec route = new RouteSpec(null, null, "/", null, "backend", 300L);
        try (TestGateway gw = TestGateway.start(TestGateway.snapshot(cluster, route))) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = gw.get("/slow?ms=3000");
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();

            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).isEqualTo("Gateway Timeout\n");
            assertThat(ms).isBetween(250L, 2500L);
            // The gateway still serves the next request on the same client.
            assertThat(gw.get("/fine").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void invalidUpstreamResponseGets502() throws Exception {
        try (ServerSocket bad = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = bad.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[4096]);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(500);
                } catch (Exception ignored) {
                    // the test asserts what the client saw
                }
            });
            t.start();
            ClusterSpec cluster = ClusterSpec.of("bad", List.of(EndpointSpec.of("127.0.0.1:" + bad.getLocalPort())));
            try (TestGateway gw = TestGateway.start(TestGateway.snapshot(cluster, RouteSpec.prefix("/", "bad")))) {
                HttpResponse<String> r = gw.get("/");
                assertThat(r.statusCode()).isEqualTo(502);
                assertThat(r.body()).isEqualTo("Bad Gateway\n");
            }
            t.join(2000);
        }
    }

    @Test
    void responseHeadReachesTheClientBeforeABodyTheOriginHasNotSentYet() throws Exception {
        // The proxy holds a response head back to copy a small body behind it; it must never
        // hold it past the read that brought it (a slow origin's head is news to the client).
        java.util.concurrent.CountDownLatch headSeen = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket slow = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = slow.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[4096]);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    headSeen.await(5, java.util.concurrent.TimeUnit.SECONDS);
                    out.write("hello".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(500);
                } catch (Exception ignored) {
                    // the test asserts what the client saw
                }
            });
            t.start();
            ClusterSpec cluster = ClusterSpec.of("slow", List.of(EndpointSpec.of("127.0.0.1:" + slow.getLocalPort())));
            try (TestGateway gw = TestGateway.start(TestGateway.snapshot(cluster, RouteSpec.prefix("/", "slow")));
                    Socket client = new Socket(java.net.InetAddress.getLoopbackAddress(), gw.port())) {
                client.setSoTimeout(3000);
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String head = readUntil(client.getInputStream(), "\r\n\r\n");
                assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 5");
                headSeen.countDown();
                assertThat(readUntil(client.getInputStream(), "hello")).isEqualTo("hello");
            }
            t.join(2000);
        }
    }

    /** Reads from {@code in} until what was read ends with {@code end} (fails on timeout or EOF). */
    private static String readUntil(java.io.InputStream in, String end) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith(end)) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("closed after: " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void rejectsContentLengthWithTransferEncodingAndCloses() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response r = c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(origin.received).isEmpty();
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterResponse() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            RawHttp.Response r = c.send("GET /ten HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.closedByPeer()).isTrue();
            // HTTP/1.0 without Host: the origin still gets a Host (the endpoint's address).
            assertThat(origin.received.poll().header("host")).isEqualTo(origin.address());
        }
    }

    @Test
    void postBodyReachesOriginWithContentLength() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin)) {
            HttpResponse<String> r = gw.client.send(HttpRequest.newBuilder(gw.uri("/form"))
                    .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            TestOrigin.Received got = origin.received.poll();
            assertThat(got.bodyBytes()).isEqualTo(7);
            assertThat(got.header("content-length")).isEqualTo("7");
        }
    }
}
