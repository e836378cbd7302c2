package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.EncoderTestSupport.requestHead;
import static dev.meridian.engine.codec.EncoderTestSupport.responseHead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Header edits as the encoders apply them: only what changed is re-encoded, the rest is copied. */
class HeaderEditsTest {

    static AsciiString a(String s) {
        return new AsciiString(s);
    }

    static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    @Test
    void requestEncoderDropsSetAndRemovedFieldsAndAppendsEdits() {
        HttpRequestHead head = requestHead("GET /a HTTP/1.1\r\nHost: h\r\nX-Env: dev\r\nx-env: qa\r\nX-Debug: 1\r\nAccept: */*\r\n\r\n");
        HeaderEdits edits = HeaderEdits.forRequest();
        edits.remove(a("x-debug"));
        edits.set(a("X-Env"), a("prod"));
        edits.add(a("X-Team"), a("payments"));
        try {
            String out = text(Http1RequestEncoder.encodeHead(ByteBufAllocator.DEFAULT, head,
                    "10.0.0.1".getBytes(StandardCharsets.US_ASCII), false, -1, false, null, null, edits));
            assertThat(out).isEqualTo("GET /a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n"
                    + "X-Env: prod\r\nX-Team: payments\r\n"
                    + "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n\r\n");
        } finally {
            head.release();
        }
    }

    @Test
    void noEditsEncodeExactlyAsBefore() {
        HttpRequestHead head = requestHead("GET /a HTTP/1.1\r\nHost: h\r\nX-Env: dev\r\n\r\n");
        byte[] ip = "10.0.0.1".getBytes(StandardCharsets.US_ASCII);
        try {
            assertThat(text(Http1RequestEncoder.encodeHead(ByteBufAllocator.DEFAULT, head, ip, false, -1, false, null,
                    null, HeaderEdits.forRequest())))
                    .isEqualTo(text(Http1RequestEncoder.encodeHead(ByteBufAllocator.DEFAULT, head, ip, false, -1, false,
                            null)));
        } finally {
            head.release();
        }
    }

    @Test
    void aSetHostReplacesTheReceivedOneAndARemovedHostGetsTheDefault() {
        HttpRequestHead head = requestHead("GET / HTTP/1.1\r\nHost: shop\r\n\r\n");
        byte[] ip = "1.2.3.4".getBytes(StandardCharsets.US_ASCII);
        byte[] cluster = "backend:80".getBytes(StandardCharsets.US_ASCII);
        try {
            HeaderEdits set = HeaderEdits.forRequest();
            set.set(a("Host"), a("api.internal"));
            assertThat(text(Http1RequestEncoder.encodeHead(ByteBufAllocator.DEFAULT, head, ip, false, -1, false,
                    cluster, null, set))).startsWith("GET / HTTP/1.1\r\nHost: api.internal\r\nX-Forwarded-For");
            HeaderEdits removed = HeaderEdits.forRequest();
            removed.remove(a("host"));
            assertThat(text(Http1RequestEncoder.encodeHead(ByteBufAllocator.DEFAULT, head, ip, false, -1, false,
                    cluster, null, removed))).startsWith("GET / HTTP/1.1\r\nHost: backend:80\r\n");
        } finally {
            head.release();
        }
    }

    @Test
    void responseEncoderAppliesEditsBeforeFraming() {
        HttpResponseHead head = responseHead("HTTP/1.1 200 OK\r\nServer: o\r\nX-Origin: o1\r\nContent-Length: 2\r\n\r\n", false);
        HeaderEdits edits = HeaderEdits.forResponse();
        edits.remove(a("Server"));
        edits.add(a("X-Frame-Options"), a("DENY"));
        try {
            assertThat(text(Http1ResponseEncoder.encodeHead(ByteBufAllocator.DEFAULT, head, true, 2, false, false, edits)))
                    .isEqualTo("HTTP/1.1 200 OK\r\nX-Origin: o1\r\nX-Frame-Options: DENY\r\nContent-Length: 2\r\n\r\n");
        } finally {
            head.release();
        }
    }

    @Test
    void laterEditsOfANameReplaceEarlierOnes() {
        HeaderEdits edits = HeaderEdits.forResponse();
        edits.add(a("X-A"), a("1"));
        edits.set(a("x-a"), a("2"));
        edits.add(a("X-A"), a("3"));
        assertThat(edits.firstValue(a("X-A")).toString()).isEqualTo("2");
        assertThat(edits.replaces(a("x-a"))).isTrue();
        edits.remove(a("X-A"));
        assertThat((Object) edits.firstValue(a("X-A"))).isNull();
        edits.clear();
        assertThat(edits.isEmpty()).isTrue();
    }

    @Test
    void refusesInjectionAndFramingFields() {
        HeaderEdits req = HeaderEdits.forRequest();
        assertThatThrownBy(() -> req.set(a("X-A"), a("v\r\nX-Injected: 1")))
                .hasMessage("value of X-A: \"v\\r\\nX-Injected: 1\" (expected: visible characters, spaces and tabs; no CR, LF or NUL)");
        assertThatThrownBy(() -> req.add(a("X A"), a("v"))).hasMessageStartingWith("header name: \"X A\"");
        assertThatThrownBy(() -> req.set(a("Transfer-Encoding"), a("chunked")))
                .hasMessage("header name: \"Transfer-Encoding\" (expected: not a framing, hop-by-hop or X-Forwarded-* field)");
        assertThatThrownBy(() -> req.remove(a("content-length"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> req.set(a("X-Forwarded-For"), a("1.1.1.1"))).isInstanceOf(IllegalArgumentException.class);
        HeaderEdits.forResponse().set(a("X-Forwarded-For"), a("ok on a response"));
        assertThat(req.isEmpty()).isTrue();
    }

    @Test
    void encodesALocalReplyWithoutItsBodyForHead() {
        HeaderEdits h = HeaderEdits.forResponse();
        h.add(a("Location"), a("/new"));
        String full = text(Http1ResponseEncoder.encodeLocal(ByteBufAllocator.DEFAULT, 301, h, a("text/plain"),
                "moved".getBytes(StandardCharsets.US_ASCII), true, false));
        assertThat(full).isEqualTo("HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nmoved");
        String head = text(Http1ResponseEncoder.encodeLocal(ByteBufAllocator.DEFAULT, 301, h, a("text/plain"),
                "moved".getBytes(StandardCharsets.US_ASCII), false, true));
        assertThat(head).endsWith("Content-Length: 5\r\n\r\n");
    }
}
