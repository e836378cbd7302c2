package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.string;
import static dev.meridian.engine.codec.EncoderTestSupport.requestHead;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1RequestEncoderTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final byte[] CLIENT = "203.0.113.7".getBytes(StandardCharsets.US_ASCII);

    private static String encode(String raw, boolean tls, long contentLength, boolean chunked, String defaultHost) {
        HttpRequestHead head = requestHead(raw);
        try {
            ByteBuf out = Http1RequestEncoder.encodeHead(ALLOC, head, CLIENT, tls, contentLength, chunked,
                    defaultHost == null ? null : defaultHost.getBytes(StandardCharsets.US_ASCII));
            String s = string(out);
            out.release();
            return s;
        } finally {
            head.release();
        }
    }

    @Test
    void rewritesHopByHopForwardingAndFramingFields() {
        String encoded = encode("POST /api/v1?x=1 HTTP/1.1\r\n"
                + "Host: shop.example\r\n"
                + "Connection: keep-alive, X-Session-Hop\r\n"
                + "X-Session-Hop: secret\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Upgrade: h2c\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "X-Forwarded-For: 198.51.100.1\r\n"
                + "x-forwarded-for: 198.51.100.2 \r\n"
                + "X-Forwarded-Proto: forged\r\n"
                + "X-Forwarded-Host: forged\r\n"
                + "Expect: 100-continue\r\n"
                + "Accept:text/html\r\n"
                + "X-Empty:\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n", true, 42, true, "fallback");

        assertThat(encoded).isEqualTo("POST /api/v1?x=1 HTTP/1.1\r\n"
                + "Host: shop.example\r\n"
                + "Accept: text/html\r\n"
                + "X-Empty: \r\n"
                + "X-Forwarded-For: 198.51.100.1, 198.51.100.2, 203.0.113.7\r\n"
                + "X-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: shop.example\r\n"
                + "Content-Length: 42\r\n"
                + "\r\n");
    }

    /**
     * The encoder acts on the kind the decoder gave each name, whatever its case and whichever of
     * the decoder's paths parsed the line: the windowed fast path, the line-by-line path after a
     * line longer than a window, and the general path (a tab after the colon).
     */
    @Test
    void treatsFieldsByKindWhateverTheCaseOfTheirNames() {
        String cookie = "Cookie: " + "c".repeat(600) + "\r\n";
        String encoded = encode("POST /up HTTP/1.1\r\n"
                + "hOST: shop.example\r\n"
                + "connection: keep-alive, x-HOP\r\n"
                + "X-HOP: secret\r\n"
                + "X-FORWARDED-FOR: 198.51.100.1\r\n"
                + "x-forwarded-PROTO: forged\r\n"
                + "Accept: */*\r\n"
                + cookie
                + "tRANSFER-eNCODING: chunked\r\n"
                + "x-fORWARDED-fOR: 198.51.100.2\r\n"
                + "KEEP-ALIVE: timeout=5\r\n"
                + "PROXY-AUTHORIZATION: Basic c2VjcmV0\r\n"
                + "eXPECT: 100-continue\r\n"
                + "X-Forwarded-For:\t198.51.100.3\r\n"
                + "X-FORWARDED-HOST:\tforged\r\n"
                + "tE:\ttrailers\r\n"
                + "uPGRADE: h2c\r\n"
                + "PROXY-connection: keep-alive\r\n"
                + "TRAILER: X-Sum\r\n"
                + "X-Last: z\r\n"
                + "\r\n", false, -1, true, null);

        assertThat(encoded).isEqualTo("POST /up HTTP/1.1\r\n"
                + "hOST: shop.example\r\n"
                + "Accept: */*\r\n"
                + cookie
                + "X-Last: z\r\n"
                + "X-Forwarded-For: 198.51.100.1, 198.51.100.2, 198.51.100.3, 203.0.113.7\r\n"
                + "X-Forwarded-Proto: http\r\n"
                + "X-Forwarded-Host: shop.example\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n");
    }

    @Test
    void copiesRunsOfCanonicalFieldsAroundDroppedAndRewrittenOnes() {
        String encoded = encode("GET /a HTTP/1.1\r\n"
                + "Host: h\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "User-Agent: t/1\r\n"
                + "Cookie: a=1\r\n"
                + "X-Tab:\tv\r\n"
                + "X-Trail: v \r\n"
                + "Accept-Language: en\r\n"
                + "Content-Length: 0\r\n"
                + "X-Last: z\r\n"
                + "\r\n", false, 0, false, null);

        assertThat(encoded).isEqualTo("GET /a HTTP/1.1\r\n"
                + "Host: h\r\n"
                + "Accept: */*\r\n"
                + "User-Agent: t/1\r\n"
                + "Cookie: a=1\r\n"
                + "X-Tab: v\r\n"
                + "X-Trail: v\r\n"
                + "Accept-Language: en\r\n"
                + "X-Last: z\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\n"
                + "X-Forwarded-Proto: http\r\n"
                + "X-Forwarded-Host: h\r\n"
                + "Content-Length: 0\r\n"
                + "\r\n");
    }

    @Test
    void writesChunkedWhenLengthIsUnknown() {
        String encoded = encode("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n", false, -1, true, null);
        assertThat(encoded).isEqualTo("POST / HTTP/1.1\r\nHost: h\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void writesNoFramingForABodylessRequest() {
        String encoded = encode("GET /x HTTP/1.1\r\nHost: h\r\n\r\n", false, -1, false, null);
        assertThat(encoded).isEqualTo("GET /x HTTP/1.1\r\nHost: h\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n\r\n");
    }

    @Test
    void sendsOriginFormForAbsoluteFormTargets() {
        assertThat(encode("GET http://h/p?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", false, -1, false, null))
                .startsWith("GET /p?q=1 HTTP/1.1\r\n");
        assertThat(encode("GET http://h?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", false, -1, false, null))
                .startsWith("GET /?q=1 HTTP/1.1\r\n");
        assertThat(encode("GET https://h HTTP/1.1\r\nHost: h\r\n\r\n", false, -1, false, null))
                .startsWith("GET / HTTP/1.1\r\n");
        assertThat(encode("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", false, -1, false, null))
                .startsWith("OPTIONS * HTTP/1.1\r\n");
    }

    @Test
    void upgradesHttp10RequestAndAddsDefaultHost() {
        String encoded = encode("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false, -1, false, "origin:8080");
        assertThat(encoded).isEqualTo("GET / HTTP/1.1\r\nHost: origin:8080\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: http\r\n\r\n");
    }

    @Test
    void writesLargeContentLengthInDecimal() {
        assertThat(encode("PUT / HTTP/1.1\r\nHost: h\r\n\r\n", false, 9_876_543_210L, false, null))
                .contains("Content-Length: 9876543210\r\n");
        assertThat(encode("PUT / HTTP/1.1\r\nHost: h\r\n\r\n", false, 0, false, null))
                .contains("Content-Length: 0\r\n");
    }

    @Test
    void dropsProxyAuthorizationMeantForTheProxy() {
        String encoded = encode("GET / HTTP/1.1\r\nHost: h\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\n"
                + "Authorization: Bearer kept\r\n\r\n", false, -1, false, null);
        assertThat(encoded).doesNotContainIgnoringCase("proxy-authorization").contains("Authorization: Bearer kept\r\n");
    }

    @Test
    void pathOverrideReplacesThePathAndKeepsTheQueryAsReceived() {
        HttpRequestHead head = requestHead("GET /public/%2e%2e/admin?next=/../x HTTP/1.1\r\nHost: h\r\n\r\n");
        try {
            ByteBuf out = Http1RequestEncoder.encodeHead(ALLOC, head, CLIENT, false, -1, false, null,
                    "/admin".getBytes(StandardCharsets.US_ASCII));
            assertThat(string(out)).startsWith("GET /admin?next=/../x HTTP/1.1\r\nHost: h\r\n");
            out.release();
        } finally {
            head.release();
        }
    }

    @Test
    void pathOverrideTurnsAbsoluteFormIntoOriginForm() {
        HttpRequestHead head = requestHead("GET http://h/a/./b HTTP/1.1\r\nHost: h\r\n\r\n");
        try {
            ByteBuf out = Http1RequestEncoder.encodeHead(ALLOC, head, CLIENT, false, -1, false, null,
                    "/a/b".getBytes(StandardCharsets.US_ASCII));
            assertThat(string(out)).startsWith("GET /a/b HTTP/1.1\r\n");
            out.release();
        } finally {
            head.release();
        }
    }

    @Test
    void nullPathOverrideForwardsTheTargetAsReceived() {
        HttpRequestHead head = requestHead("GET /x//y?q HTTP/1.1\r\nHost: h\r\n\r\n");
        try {
            ByteBuf out = Http1RequestEncoder.encodeHead(ALLOC, head, CLIENT, false, -1, false, null, null);
            assertThat(string(out)).startsWith("GET /x//y?q HTTP/1.1\r\n");
            out.release();
        } finally {
            head.release();
        }
    }
}
