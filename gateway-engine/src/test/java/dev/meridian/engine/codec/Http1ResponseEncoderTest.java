package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.string;
import static dev.meridian.engine.codec.EncoderTestSupport.responseHead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class Http1ResponseEncoderTest {

    private static String encode(String raw, boolean toHead, boolean clientHttp11, long contentLength,
                                 boolean chunked, boolean close) {
        HttpResponseHead head = responseHead(raw, toHead);
        try {
            ByteBuf out = Http1ResponseEncoder.encodeHead(PooledByteBufAllocator.DEFAULT, head, clientHttp11,
                    contentLength, chunked, close);
            String s = string(out);
            out.release();
            return s;
        } finally {
            head.release();
        }
    }

    /** Framing and hop-by-hop fields are dropped by the kind the decoder gave them, in any case. */
    @Test
    void dropsFramingAndHopByHopFieldsWhateverTheCaseOfTheirNames() {
        String encoded = encode("HTTP/1.1 200 OK\r\n"
                + "content-TYPE: text/plain\r\n"
                + "CONTENT-LENGTH: 5\r\n"
                + "cONNECTION: close, x-ORIGIN-hop\r\n"
                + "X-Origin-Hop: 1\r\n"
                + "keep-ALIVE:\ttimeout=3\r\n"
                + "UPGRADE: h2c\r\n"
                + "X-Kept: yes\r\n"
                + "\r\n", false, true, 5, false, false);
        assertThat(encoded).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "content-TYPE: text/plain\r\n"
                + "X-Kept: yes\r\n"
                + "Content-Length: 5\r\n"
                + "\r\n");
    }

    @Test
    void copiesEndToEndFieldsAndRewritesFraming() {
        String encoded = encode("HTTP/1.1 200 Fine Thanks\r\n"
                + "Content-Type: text/html\r\n"
                + "Connection: X-Origin-Hop\r\n"
                + "X-Origin-Hop: 1\r\n"
                + "Keep-Alive: timeout=3\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Trailer: X-Sum\r\n"
                + "Set-Cookie: a=b\r\n"
                + "\r\n", false, true, -1, true, false);
        assertThat(encoded).isEqualTo("HTTP/1.1 200 Fine Thanks\r\n"
                + "Content-Type: text/html\r\n"
                + "Set-Cookie: a=b\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n");
    }

    @Test
    void copiesCanonicalRunsAndRewritesOtherLinesCanonically() {
        String encoded = encode("HTTP/1.1 200 OK\r\n"
                + "Server: nginx\r\n"
                + "Date: Thu, 26 Nov 2026 20:00:00 GMT\r\n"
                + "Content-Length: 13\r\n"
                + "Content-Type:text/plain\r\n"
                + "X-A: 1 \r\n"
                + "X-B: 2\r\n"
                + "Connection: keep-alive\r\n"
                + "X-C: 3\r\n"
                + "\r\n", false, true, 13, false, false);
        assertThat(encoded).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Server: nginx\r\n"
                + "Date: Thu, 26 Nov 2026 20:00:00 GMT\r\n"
                + "Content-Type: text/plain\r\n"
                + "X-A: 1\r\n"
                + "X-B: 2\r\n"
                + "X-C: 3\r\n"
                + "Content-Length: 13\r\n"
                + "\r\n");
    }

    @Test
    void closesDelimitedBodyForHttp10Client() {
        String encoded = encode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, false, -1, false, true);
        assertThat(encoded).isEqualTo("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    }

    @Test
    void tellsHttp10ClientTheConnectionStaysOpen() {
        String encoded = encode("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc", false, false, 3, false, false);
        assertThat(encoded).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n");
    }

    @Test
    void keepsTheRealLengthOnAResponseToHead() {
        HttpResponseHead probe = responseHead("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", true);
        long length = probe.contentLength();
        probe.release();
        String encoded = encode("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", true, true, length, false, false);
        assertThat(encoded).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
    }

    @Test
    void writesStandardReasonWhenOriginSentNone() {
        assertThat(encode("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", false, true, 0, false, true))
                .isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(encode("HTTP/1.1 299\r\nContent-Length: 0\r\n\r\n", false, true, 0, false, false))
                .isEqualTo("HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void refusesChunkedFramingForHttp10Client() {
        HttpResponseHead head = responseHead("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
        try {
            assertThatThrownBy(() -> Http1ResponseEncoder.encodeHead(PooledByteBufAllocator.DEFAULT, head, false, -1, true, true))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            head.release();
        }
    }
}
