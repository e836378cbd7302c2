package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.WithTestOrigin;
import dev.meridian.engine.testing.TestOrigin;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a downstream connection ends and how much a client can pipeline, over real sockets: a client
 * that half-closes still gets every answer it asked for, and a pipelining flood is answered in
 * order while the proxy reads no faster than it answers. A connection runs its requests on one
 * reused exchange, and nothing of one request reaches the next.
 */
class ConnectionLifecycleIntegrationTest extends WithTestOrigin {

    @Test
    void clientThatShutsDownItsSideAfterTheRequestStillGetsTheResponse() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            c.send("GET /slow?ms=200 HTTP/1.1\r\nHost: a\r\n\r\n").shutdownOutput();

            assertThat(c.read().bodyText()).isEqualTo("slow o1");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void pipelinedRequestsSentBeforeTheHalfCloseAreAllAnswered() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            c.send("GET /slow?ms=200 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /third HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello").shutdownOutput();

            assertThat(c.read().bodyText()).isEqualTo("slow o1");
            assertThat(c.read().bodyText()).startsWith("o1 GET /second 0 ");
            assertThat(c.read().bodyText()).startsWith("o1 POST /third 5 ");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void bodyCutShortByAHalfCloseIsNeverForwardedAsWhole() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf!").shutdownOutput();

            assertThat(c.closedByPeer()).isTrue();
            // The origin never sees a complete request of 10 bytes.
            Thread.sleep(300);
            assertThat(origin.received).isEmpty();
        }
    }

    @Test
    void idleClientThatShutsDownItsSideIsClosed() throws Exception {
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.shutdownOutput();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void pipeliningFloodBeyondTheReadBoundIsAnsweredInOrder() throws Exception {
        String one = "GET /n HTTP/1.1\r\nHost: a\r\n\r\n";
        int count = 2 * Http1RequestDecoder.DEFAULT_MAX_PIPELINED_BYTES / one.length() + 10;
        StringBuilder flood = new StringBuilder("GET /slow?ms=300 HTTP/1.1\r\nHost: a\r\n\r\n");
        for (int i = 0; i < count; i++) {
            flood.append("GET /n").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        try (TestGateway gw = TestGateway.forOrigins(origin); RawHttp c = new RawHttp(gw.port())) {
            // Written from another thread: the proxy stops reading past its bound, so a single
            // thread writing everything before reading could block on a full socket buffer.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    c.send(flood.toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(c.read().bodyText()).isEqualTo("slow o1");
            for (int i = 0; i < count; i++) {
                assertThat(c.read().bodyText()).startsWith("o1 GET /n" + i + " 0 ");
            }
            writer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void requestsOnOneConnectionDoNotInheritEachOthersState() throws Exception {
        // Host "hurried" gives up after 300 ms; other hosts have the default 15 s timeout.
        RouteSpec hurried = new RouteSpec(null, "hurried", "/", null, "backend", 300L, null, null, null, null, null, null);
        try (TestGateway gw = TestGateway.start(TestGateway.snapshot(
                ClusterSpec.of("backend", TestGateway.endpoints(origin)), hurried, RouteSpec.prefix("/", "backend")));
             RawHttp c = new RawHttp(gw.port())) {
            // A timed-out request, then slow requests on a route without that deadline: no 504 leaks over.
            c.send("GET /slow?ms=2000 HTTP/1.1\r\nHost: hurried\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(504);
            c.send("GET /slow?ms=500 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("slow o1");

            // A HEAD answer has no body; the GET after it must get its body.
            c.send("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            c.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().bodyText()).startsWith("o1 GET /y 0 ");

            // A chunked response, then one with a Content-Length: each framed as its own.
            c.send("GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response chunked = c.read();
            assertThat(chunked.header("transfer-encoding")).isEqualTo("chunked");
            c.send("GET /z HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response plain = c.read();
            assertThat(plain.header("transfer-encoding")).isNull();
            assertThat(plain.header("content-length")).isEqualTo(String.valueOf(plain.body().length));

            // A POST's body size is its own, and a 404-free GET after it forwards no body.
            c.send("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read().bodyText()).startsWith("o1 POST /p 5 ");
            c.send("GET /q HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().bodyText()).startsWith("o1 GET /q 0 ");
        }
    }
}
