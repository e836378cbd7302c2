package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.codec.Http1RequestDecoder;
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
 * order while the proxy reads no faster than it answers.
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
}
