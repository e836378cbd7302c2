package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalResponsesTest {

    private static String error(int status, boolean close) {
        ByteBuf buf = LocalResponses.error(PooledByteBufAllocator.DEFAULT, status, close);
        String s = string(buf);
        buf.release();
        return s;
    }

    @Test
    void badGatewayWithClose() {
        assertThat(error(502, true)).isEqualTo("HTTP/1.1 502 Bad Gateway\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 12\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "Bad Gateway\n");
    }

    @Test
    void notFoundKeepingTheConnection() {
        assertThat(error(404, false)).isEqualTo("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 10\r\n"
                + "\r\n"
                + "Not Found\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 408, 413, 414, 417, 429, 431, 500, 501, 502, 503, 504, 505, 418})
    void everyErrorIsWellFramedAndBodyIsOnlyTheReasonPhrase(int status) {
        String response = error(status, true);
        String reason = new String(HttpStatusReasons.phrase(status), java.nio.charset.StandardCharsets.US_ASCII);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(response).startsWith("HTTP/1.1 " + status + " " + reason + "\r\n");
        assertThat(body).isEqualTo(reason.isEmpty() ? "" : reason + "\n");
        assertThat(response).contains("\r\nContent-Length: " + body.length() + "\r\n");
    }

    @Test
    void unassignedStatusHasEmptyReasonAndBody() {
        assertThat(error(599, false)).isEqualTo("HTTP/1.1 599 \r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void continue100IsTheExactInterimResponseAndSharedSafely() {
        ByteBuf a = LocalResponses.continue100();
        ByteBuf b = LocalResponses.continue100();
        assertThat(string(a)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        a.skipBytes(a.readableBytes());
        a.release();
        assertThat(string(b)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        b.release();
        assertThat(LocalResponses.continue100().readableBytes()).isEqualTo(25);
    }
}
