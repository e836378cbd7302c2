package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.body;
import static dev.meridian.engine.codec.CodecTestSupport.bytes;
import static dev.meridian.engine.codec.CodecTestSupport.drain;
import static dev.meridian.engine.codec.CodecTestSupport.drainShape;
import static dev.meridian.engine.codec.CodecTestSupport.releaseAll;
import static dev.meridian.engine.codec.CodecTestSupport.shape;
import static dev.meridian.engine.codec.CodecTestSupport.string;
import static dev.meridian.engine.codec.CodecTestSupport.writeByteByByte;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Http1ResponseDecoderTest {

    private Http1ResponseDecoder decoder;
    private EmbeddedChannel ch;

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    /** The level is JVM-wide: leave later test classes the default, PARANOID records every access. */
    @org.junit.jupiter.api.AfterAll
    static void defaultLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterEach
    void close() {
        if (ch != null) {
            releaseAll(drain(ch));
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel() {
        decoder = new Http1ResponseDecoder();
        ch = new EmbeddedChannel(decoder);
        return ch;
    }

    private List<Object> respond(boolean toHead, String response) {
        channel();
        decoder.expectResponse(toHead);
        ch.writeInbound(bytes(response));
        return drain(ch);
    }

    private static HttpResponseHead head(List<Object> out) {
        return (HttpResponseHead) out.get(0);
    }

    @Test
    void decodesContentLengthResponse() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello");
        assertThat(shape(out)).containsExactly("HttpResponseHead", "body", "HttpBodyEnd");
        HttpResponseHead head = head(out);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.reason()).isEqualTo("OK");
        assertThat(head.http11()).isTrue();
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.noBody()).isFalse();
        assertThat(head.closeDelimited()).isFalse();
        assertThat(head.chunked()).isFalse();
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.header("content-type")).isEqualTo("text/plain");
        head.release();
        assertThat(body(out)).isEqualTo("hello");
        assertThat(decoder.pendingResponses()).isZero();
    }

    @Test
    void decodesChunkedResponseWithTrailersOneByteAtATime() {
        channel();
        decoder.expectResponse(false);
        writeByteByByte(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nServer-Timing: db;dur=53\r\n\r\n");
        List<Object> out = drain(ch);
        assertThat(shape(out)).containsExactly("HttpResponseHead", "body", "HttpBodyEnd");
        assertThat(head(out).chunked()).isTrue();
        assertThat(head(out).keepAlive()).isTrue();
        head(out).release();
        HttpBodyEnd end = (HttpBodyEnd) out.get(out.size() - 1);
        assertThat(string(end.trailers())).isEqualTo("Server-Timing: db;dur=53\r\n");
        end.release();
        assertThat(body(out)).isEqualTo("hello world");
    }

    @Test
    void closeDelimitedBodyEndsWhenTheOriginCloses() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome ");
        HttpResponseHead head = head(out);
        assertThat(head.closeDelimited()).isTrue();
        assertThat(head.keepAlive()).isFalse();
        assertThat(head.contentLength()).isEqualTo(-1);
        ch.writeInbound(bytes("bytes"));
        out.addAll(drain(ch));
        assertThat(shape(out)).containsExactly("HttpResponseHead", "body");
        ch.close();
        out.addAll(drain(ch));
        assertThat(shape(out)).containsExactly("HttpResponseHead", "body", "HttpBodyEnd");
        head.release();
        assertThat(body(out)).isEqualTo("some bytes");
    }

    static Stream<Arguments> bodilessResponses() {
        return Stream.of(
                Arguments.of(true, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", 1234L),
                Arguments.of(true, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", -1L),
                Arguments.of(false, "HTTP/1.1 204 No Content\r\n\r\n", -1L),
                Arguments.of(false, "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", 99L),
                Arguments.of(false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0L));
    }

    @ParameterizedTest(name = "toHead={0}: {1}")
    @MethodSource("bodilessResponses")
    void responsesWithoutBodyEndRightAfterTheHead(boolean toHead, String response, long contentLength) {
        List<Object> out = respond(toHead, response);
        assertThat(shape(out)).containsExactly("HttpResponseHead", "HttpBodyEnd");
        assertThat(head(out).noBody()).isTrue();
        assertThat(head(out).closeDelimited()).isFalse();
        assertThat(head(out).keepAlive()).isTrue();
        assertThat(head(out).contentLength()).as("reported as sent, for HEAD").isEqualTo(contentLength);
        releaseAll(out);
    }

    @Test
    void headResponseDoesNotSwallowTheNextResponse() {
        channel();
        decoder.expectResponse(true);
        decoder.expectResponse(false);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"));
        List<Object> out = drain(ch);
        assertThat(shape(out)).containsExactly("HttpResponseHead", "HttpBodyEnd", "HttpResponseHead", "body", "HttpBodyEnd");
        assertThat(((HttpResponseHead) out.get(2)).status()).isEqualTo(201);
        releaseAll(out.subList(0, 3));
        assertThat(body(out)).isEqualTo("ok");
    }

    @Test
    void interimResponsesAreConsumedSilently() {
        List<Object> out = respond(false, "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(shape(out)).containsExactly("HttpResponseHead", "body", "HttpBodyEnd");
        assertThat(head(out).status()).isEqualTo(200);
        head(out).release();
        assertThat(body(out)).isEqualTo("ok");
    }

    @Test
    void rejectsSwitchingProtocols() {
        List<Object> out = respond(false, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        assertThat(out).containsExactly(new HttpDecodeError(502, "unexpected 101 Switching Protocols"));
    }

    @Test
    void rejectsContentLengthWithTransferEncoding() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertThat(out).containsExactly(new HttpDecodeError(502, "Content-Length with Transfer-Encoding"));
    }

    static Stream<Arguments> badResponses() {
        return Stream.of(
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "unsupported Transfer-Encoding"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding"),
                Arguments.of("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding in HTTP/1.0 message"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", "multiple Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n", "invalid Content-Length"),
                Arguments.of("HTTP/2.0 200 OK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 20 OK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 600 Weird\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 200OK\r\n\r\n", "malformed status line"),
                Arguments.of("http/1.1 200 OK\r\n\r\n", "malformed status line"),
                Arguments.of("\r\nHTTP/1.1 200 OK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 200 OK\n\r\n", "bare LF line ending"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n", "whitespace between field name and colon"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n", "obsolete line folding"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\n\r\n", "invalid character in field value"),
                // RFC 9112 §6.3 rule 5: differing lengths, the response-side CL.CL desync
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\nok", "multiple Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", "invalid Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok", "invalid Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\nok", "invalid Content-Length"),
                // RFC 9112 §6.3 rule 3 / §6.1: TE.TE desync from the origin side
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", "Content-Length with Transfer-Encoding"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "multiple Transfer-Encoding"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "unsupported Transfer-Encoding"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n", "unsupported Transfer-Encoding"),
                // RFC 9112 §4 / §2.2: status line and bare CR (response splitting)
                Arguments.of("HTTP/1.1 200 O\rK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 200 OK\u0001\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1  200 OK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 2x0 OK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.2 200 OK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 099 Low\r\n\r\n", "malformed status line"),
                Arguments.of(" HTTP/1.1 200 OK\r\n\r\n", "malformed status line"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", "invalid character in field value"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A: a\u001fb\r\n\r\n", "invalid character in field value"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A: a\u007fb\r\n\r\n", "invalid character in field value"),
                Arguments.of("HTTP/1.1 200 OK\r\nSet-Cookie: a\nb\r\n\r\n", "bare LF line ending"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A\t: b\r\n\r\n", "whitespace between field name and colon"),
                Arguments.of("HTTP/1.1 200 OK\r\n X-A: b\r\n\r\n", "obsolete line folding"),
                Arguments.of("HTTP/1.1 200 OK\r\nX(A): b\r\n\r\n", "field name is not a token"),
                Arguments.of("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "field line without colon"),
                // RFC 9110 §6.5.1: framing and hop-by-hop fields in response trailers
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 9\r\n\r\n", "framing field in trailer section"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nConnection: close\r\n\r\n", "hop-by-hop field in trailer section"),
                // RFC 9112 §7.1: chunk framing from the origin
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", "chunk size overflow"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n", "missing CRLF after chunk data"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badResponses")
    void rejectsMalformedResponsesWith502(String response, String reason) {
        List<Object> out = respond(false, response);
        // Chunk and trailer errors surface after the (valid) head; the error is always last and single.
        assertThat(out.get(out.size() - 1)).isEqualTo(new HttpDecodeError(502, reason));
        assertThat(out).filteredOn(m -> m instanceof HttpDecodeError).hasSize(1);
        CodecTestSupport.releaseAll(out);
    }

    @Test
    void acceptsStatusLineWithoutReason() {
        List<Object> out = respond(false, "HTTP/1.1 204\r\n\r\n");
        assertThat(head(out).status()).isEqualTo(204);
        assertThat(head(out).reasonLength()).isZero();
        releaseAll(out);
        out = respond(false, "HTTP/1.1 204 \r\n\r\n");
        assertThat(head(out).reasonLength()).isZero();
        releaseAll(out);
    }

    static Stream<Arguments> keepAliveCases() {
        return Stream.of(
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true),
                Arguments.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false),
                Arguments.of("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false),
                Arguments.of("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("keepAliveCases")
    void keepAliveSaysWhetherTheUpstreamConnectionCanBeReused(String response, boolean keepAlive) {
        List<Object> out = respond(false, response);
        assertThat(head(out).keepAlive()).isEqualTo(keepAlive);
        releaseAll(out);
    }

    @Test
    void reportsUpstreamCloseInsideAFixedLengthBody() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        ch.close();
        out.addAll(drain(ch));
        assertThat(shape(out)).containsExactly("HttpResponseHead", "body", "HttpDecodeError");
        assertThat(out.get(2)).isEqualTo(new HttpDecodeError(502, "upstream closed before end of body"));
        releaseAll(out);
    }

    @Test
    void reportsUpstreamCloseInsideAChunkedBody() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        ch.close();
        out.addAll(drain(ch));
        assertThat(shape(out)).containsExactly("HttpResponseHead", "body", "HttpDecodeError");
        releaseAll(out);
    }

    @Test
    void upstreamCloseInsideTheHeadEmitsNothing() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nContent-Le");
        ch.close();
        out.addAll(drain(ch));
        assertThat(out).isEmpty();
    }

    @Test
    void rejectsBytesWhenNoResponseIsExpected() {
        channel();
        ByteBuf unsolicited = bytes("HTTP/1.1 200 OK\r\n\r\n");
        unsolicited.retain();
        ch.writeInbound(unsolicited);
        assertThat(drain(ch)).containsExactly(new HttpDecodeError(502, "response bytes while no request is outstanding"));
        assertThat(unsolicited.refCnt()).isEqualTo(1);
        unsolicited.release();
    }

    @Test
    void rejectsASecondResponseToOneRequest() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
        assertThat(shape(out)).containsExactly("HttpResponseHead", "HttpBodyEnd", "HttpDecodeError");
        assertThat(out.get(2)).isEqualTo(new HttpDecodeError(502, "response bytes while no request is outstanding"));
        releaseAll(out);
    }

    @Test
    void decodesResponsesOnAReusedConnection() {
        List<Object> out = respond(false, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        releaseAll(out);
        decoder.expectResponse(false);
        ch.writeInbound(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nb"));
        out = drain(ch);
        assertThat(head(out).status()).isEqualTo(404);
        head(out).release();
        assertThat(body(out)).isEqualTo("b");
    }

    @Test
    void rejectsResponseHeadOverTheLimit() {
        decoder = new Http1ResponseDecoder(64, 10);
        ch = new EmbeddedChannel(decoder);
        decoder.expectResponse(false);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(100)));
        assertThat(drain(ch)).containsExactly(new HttpDecodeError(502, "header section too large"));
    }

    @Test
    void rejectsTooManyResponseFields() {
        decoder = new Http1ResponseDecoder(4096, 2);
        ch = new EmbeddedChannel(decoder);
        decoder.expectResponse(false);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"));
        assertThat(drain(ch)).containsExactly(new HttpDecodeError(502, "too many header fields"));
    }

    @Test
    void releasesEveryBufferOnceConsumersReleaseWhatTheyReceived() {
        channel();
        decoder.expectResponse(false);
        ByteBuf in = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX: 1\r\n\r\n");
        in.retain();
        ch.writeInbound(in);
        List<Object> out = drain(ch);
        assertThat(drainShape(ch)).isEmpty();
        assertThat(in.refCnt()).isGreaterThan(1);
        releaseAll(out);
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }
}
