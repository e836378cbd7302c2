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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.AsciiString;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Http1RequestDecoderTest {

    private Http1RequestDecoder decoder;
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

    private EmbeddedChannel channel() {
        return channel(new Http1RequestDecoder());
    }

    private EmbeddedChannel channel(Http1RequestDecoder d) {
        decoder = d;
        ch = new EmbeddedChannel(d);
        return ch;
    }

    @AfterEach
    void close() {
        if (ch != null) {
            releaseAll(drain(ch));
            ch.finishAndReleaseAll();
        }
    }

    private List<Object> decode(String request) {
        channel().writeInbound(bytes(request));
        return drain(ch);
    }

    private static HttpDecodeError onlyError(List<Object> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(HttpDecodeError.class);
        return (HttpDecodeError) out.get(0);
    }

    // ---- happy paths -----------------------------------------------------------------------

    @Test
    void decodesSimpleGetIntoOffsetsOverTheReceivedBytes() {
        List<Object> out = decode("GET /a/b?x=1&y HTTP/1.1\r\nHost: example.com\r\nAccept:  */* \r\n\r\n");

        assertThat(shape(out)).containsExactly("HttpRequestHead", "HttpBodyEnd");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.methodOffset()).isZero();
        assertThat(head.methodLength()).isEqualTo(3);
        assertThat(head.isHeadMethod()).isFalse();
        assertThat(head.target()).isEqualTo("/a/b?x=1&y");
        assertThat(head.absoluteForm()).isFalse();
        assertThat(head.buffer().toString(head.pathOffset(), head.pathLength(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("/a/b");
        assertThat(head.buffer().getByte(head.queryOffset())).isEqualTo((byte) '?');
        assertThat(head.queryLength()).isEqualTo("?x=1&y".length());
        assertThat(head.http11()).isTrue();
        assertThat(head.headerCount()).isEqualTo(2);
        assertThat(head.headerName(1)).isEqualTo("Accept");
        assertThat(head.headerValue(1)).isEqualTo("*/*");
        assertThat(head.header("HOST")).isEqualTo("example.com");
        assertThat(head.header("missing")).isNull();
        assertThat(head.hostIndex()).isZero();
        assertThat(head.indexOf(AsciiString.cached("accept"))).isEqualTo(1);
        assertThat(head.indexOf(AsciiString.cached("cookie"))).isEqualTo(-1);
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(head.chunked()).isFalse();
        assertThat(head.hasBody()).isFalse();
        assertThat(head.keepAlive()).isTrue();
        assertThat(string(head.buffer())).endsWith("*/* \r\n\r\n").startsWith("GET ");
        assertThat(out.get(1)).isSameAs(HttpBodyEnd.EMPTY);
        assertThat(decoder.paused()).isTrue();
        head.release();
    }

    @Test
    void headRequestIsFlagged() {
        List<Object> out = decode("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.isHeadMethod()).isTrue();
        head.release();
    }

    @Test
    void decodesContentLengthBodyWhateverTheSplitPoint() {
        String request = "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world";
        for (int split = 1; split < request.length(); split++) {
            channel().writeInbound(bytes(request.substring(0, split)));
            ch.writeInbound(bytes(request.substring(split)));
            List<Object> out = drain(ch);
            assertThat(shape(out)).as("split at %d", split).containsExactly("HttpRequestHead", "body", "HttpBodyEnd")
                    .doesNotContain("HttpDecodeError");
            HttpRequestHead head = (HttpRequestHead) out.get(0);
            assertThat(head.contentLength()).isEqualTo(11);
            assertThat(head.hasBody()).isTrue();
            head.release();
            assertThat(body(out)).isEqualTo("hello world");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void decodesContentLengthBodyFedOneByteAtATime() {
        channel();
        writeByteByByte(ch, "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
        List<Object> out = drain(ch);
        assertThat(shape(out)).containsExactly("HttpRequestHead", "body", "HttpBodyEnd");
        ((HttpRequestHead) out.get(0)).release();
        assertThat(body(out)).isEqualTo("hello world");
    }

    private static final String CHUNKED_REQUEST = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:  Chunked \r\n\r\n"
            + "4\r\nWiki\r\n"
            + "5;name=value;quoted=\"a b\"\r\npedia\r\n"
            + "E ; ext\r\n in\r\n\r\nchunks.\r\n"
            + "0\r\nExpires: never\r\nX-Checksum: abc\r\n\r\n";

    @Test
    void decodesChunkedBodyWithExtensionsAndTrailersOneByteAtATime() {
        channel();
        writeByteByByte(ch, CHUNKED_REQUEST);
        List<Object> out = drain(ch);
        assertThat(shape(out)).containsExactly("HttpRequestHead", "body", "HttpBodyEnd");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.chunked()).isTrue();
        assertThat(head.hasBody()).isTrue();
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(head.isHopByHop(1)).isTrue();
        head.release();
        HttpBodyEnd end = (HttpBodyEnd) out.get(out.size() - 1);
        assertThat(string(end.trailers())).isEqualTo("Expires: never\r\nX-Checksum: abc\r\n");
        end.release();
        assertThat(body(out)).isEqualTo("Wikipedia in\r\n\r\nchunks.");
    }

    @Test
    void decodesChunkedBodyWhateverTheSplitPoint() {
        for (int split = 1; split < CHUNKED_REQUEST.length(); split++) {
            channel().writeInbound(bytes(CHUNKED_REQUEST.substring(0, split)));
            ch.writeInbound(bytes(CHUNKED_REQUEST.substring(split)));
            List<Object> out = drain(ch);
            assertThat(shape(out)).as("split at %d", split).containsExactly("HttpRequestHead", "body", "HttpBodyEnd");
            ((HttpRequestHead) out.get(0)).release();
            HttpBodyEnd end = (HttpBodyEnd) out.get(out.size() - 1);
            assertThat(string(end.trailers())).isEqualTo("Expires: never\r\nX-Checksum: abc\r\n");
            end.release();
            assertThat(body(out)).isEqualTo("Wikipedia in\r\n\r\nchunks.");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void chunkedBodyWithoutTrailersEndsWithSharedEmptyEnd() {
        List<Object> out = decode("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(out.get(out.size() - 1)).isSameAs(HttpBodyEnd.EMPTY);
        ((HttpRequestHead) out.get(0)).release();
        assertThat(body(out)).isEqualTo("abc");
    }

    @Test
    void emitsTheHeadBeforeTheBodyArrives() {
        channel().writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab"));
        List<Object> first = drain(ch);
        assertThat(shape(first)).containsExactly("HttpRequestHead", "body");
        assertThat(decoder.paused()).isFalse();
        ch.writeInbound(bytes("cde"));
        List<Object> rest = drain(ch);
        assertThat(shape(rest)).containsExactly("body", "HttpBodyEnd");
        ((HttpRequestHead) first.get(0)).release();
        assertThat(body(first) + body(rest)).isEqualTo("abcde");
    }

    // ---- pipelining and pause --------------------------------------------------------------

    @Test
    void pipelinedRequestsWaitForResume() {
        channel().writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n"));

        List<Object> first = drain(ch);
        assertThat(shape(first)).containsExactly("HttpRequestHead", "HttpBodyEnd");
        assertThat(((HttpRequestHead) first.get(0)).target()).isEqualTo("/1");
        assertThat(decoder.paused()).isTrue();
        releaseAll(first);

        decoder.resume();
        List<Object> second = drain(ch);
        assertThat(shape(second)).containsExactly("HttpRequestHead", "body", "HttpBodyEnd");
        assertThat(((HttpRequestHead) second.get(0)).target()).isEqualTo("/2");
        ((HttpRequestHead) second.get(0)).release();
        assertThat(body(second)).isEqualTo("abc");

        assertThat(drain(ch)).isEmpty();
        decoder.resume();
        List<Object> third = drain(ch);
        assertThat(((HttpRequestHead) third.get(0)).target()).isEqualTo("/3");
        releaseAll(third);

        decoder.resume();
        assertThat(drain(ch)).isEmpty();
        assertThat(decoder.paused()).isFalse();
    }

    @Test
    void stopsReadingWhenAPipeliningClientBuffersMoreThanTheBound() {
        channel().writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"));
        releaseAll(drain(ch));
        String one = "GET /n HTTP/1.1\r\nHost: h\r\n\r\n";
        StringBuilder flood = new StringBuilder();
        while (flood.length() <= Http1RequestDecoder.DEFAULT_MAX_PIPELINED_BYTES / 2) {
            flood.append(one);
        }
        ch.writeInbound(bytes(flood.toString()));
        // Half the bound buffered: reading goes on (no epoll_ctl per request).
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(decoder.hasBufferedBytes()).isTrue();
        ch.writeInbound(bytes(flood.toString() + one));
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.config().isAutoRead()).isFalse();

        decoder.resume();
        List<Object> next = drain(ch);
        assertThat(((HttpRequestHead) next.get(0)).target()).isEqualTo("/n");
        releaseAll(next);
    }

    @Test
    void bytesArrivingWhilePausedAreBufferedUntilResume() {
        channel().writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"));
        releaseAll(drain(ch));
        ch.writeInbound(bytes("GET /2 HTTP/1.1\r\nHo"));
        ch.writeInbound(bytes("st: h\r\n\r\n"));
        assertThat(drain(ch)).isEmpty();
        decoder.resume();
        List<Object> out = drain(ch);
        assertThat(((HttpRequestHead) out.get(0)).target()).isEqualTo("/2");
        releaseAll(out);
    }

    @Test
    void resumeCalledFromInsideChannelReadDecodesTheNextRequest() {
        List<String> targets = new ArrayList<>();
        Http1RequestDecoder d = new Http1RequestDecoder();
        ch = new EmbeddedChannel(d, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequestHead head) {
                    targets.add(head.target());
                    head.release();
                } else if (msg instanceof HttpBodyEnd) {
                    d.resume();
                }
            }
        });
        decoder = d;
        ch.writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(targets).containsExactly("/1", "/2", "/3");
    }

    @Test
    void skipsAFewEmptyLinesBeforeTheRequestLine() {
        List<Object> out = decode("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(shape(out)).containsExactly("HttpRequestHead", "HttpBodyEnd");
        releaseAll(out);
    }

    @Test
    void rejectsEndlessEmptyLinesBeforeTheRequestLine() {
        HttpDecodeError error = onlyError(decode("\r\n".repeat(5) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(error.status()).isEqualTo(400);
    }

    // ---- connection semantics --------------------------------------------------------------

    static Stream<Arguments> keepAliveCases() {
        return Stream.of(
                Arguments.of("HTTP/1.1", "", true),
                Arguments.of("HTTP/1.1", "Connection: close\r\n", false),
                Arguments.of("HTTP/1.1", "Connection: foo, CLOSE\r\n", false),
                Arguments.of("HTTP/1.1", "Connection: keep-alive\r\n", true),
                Arguments.of("HTTP/1.0", "", false),
                Arguments.of("HTTP/1.0", "Connection: Keep-Alive\r\n", true),
                Arguments.of("HTTP/1.0", "Connection: keep-alive, close\r\n", false));
    }

    @ParameterizedTest(name = "{0} {1} -> keepAlive={2}")
    @MethodSource("keepAliveCases")
    void keepAliveFollowsVersionAndConnectionTokens(String version, String connection, boolean keepAlive) {
        List<Object> out = decode("GET / " + version + "\r\nHost: h\r\n" + connection + "\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.http11()).isEqualTo(version.equals("HTTP/1.1"));
        assertThat(head.keepAlive()).isEqualTo(keepAlive);
        releaseAll(out);
    }

    @Test
    void http10RequestWithoutHostIsAccepted() {
        List<Object> out = decode("GET / HTTP/1.0\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.hostIndex()).isEqualTo(-1);
        assertThat(head.http11()).isFalse();
        releaseAll(out);
    }

    @Test
    void marksHopByHopFieldsIncludingThoseNamedByConnection() {
        List<Object> out = decode("GET / HTTP/1.1\r\nHost: h\r\nConnection: X-Secret , keep-alive,, Upgrade\r\n"
                + "x-secret: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X\r\nUpgrade: h2c\r\n"
                + "Proxy-Connection: close\r\nX-Public: 2\r\nConnection: x-other\r\nX-Other: 3\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        List<String> hop = new ArrayList<>();
        List<String> endToEnd = new ArrayList<>();
        for (int i = 0; i < head.headerCount(); i++) {
            (head.isHopByHop(i) ? hop : endToEnd).add(head.headerName(i));
        }
        assertThat(endToEnd).containsExactly("Host", "X-Public");
        assertThat(hop).containsExactly("Connection", "x-secret", "Keep-Alive", "TE", "Trailer", "Upgrade",
                "Proxy-Connection", "Connection", "X-Other");
        releaseAll(out);
    }

    @Test
    void neverMarksHostHopByHopEvenWhenConnectionNamesIt() {
        List<Object> out = decode("GET / HTTP/1.1\r\nHost: h\r\nConnection: host\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.isHopByHop(head.hostIndex())).isFalse();
        releaseAll(out);
    }

    @Test
    void expectContinueIsReportedForHttp11() {
        List<Object> out = decode("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.expectContinue()).isTrue();
        assertThat(shape(out)).containsExactly("HttpRequestHead");
        releaseAll(out);
    }

    @Test
    void expectContinueIsIgnoredForHttp10() {
        List<Object> out = decode("PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx");
        assertThat(((HttpRequestHead) out.get(0)).expectContinue()).isFalse();
        releaseAll(out);
    }

    // ---- request-target forms --------------------------------------------------------------

    @Test
    void extractsPathAndQueryFromAbsoluteForm() {
        List<Object> out = decode("GET HTTPS://Example.com:8443/p/q?a=b HTTP/1.1\r\nHost: example.com:8443\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        ByteBuf b = head.buffer();
        assertThat(head.absoluteForm()).isTrue();
        assertThat(b.toString(head.pathOffset(), head.pathLength(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("/p/q");
        assertThat(b.toString(head.queryOffset(), head.queryLength(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("?a=b");
        assertThat(b.toString(head.authorityOffset(), head.authorityLength(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Example.com:8443");
        releaseAll(out);
    }

    @Test
    void absoluteFormWithEmptyPathHasZeroPathLength() {
        List<Object> out = decode("GET http://example.com?x HTTP/1.1\r\nHost: example.com\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.pathLength()).isZero();
        assertThat(head.queryLength()).isEqualTo(2);
        releaseAll(out);

        out = decode("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n");
        head = (HttpRequestHead) out.get(0);
        assertThat(head.pathLength()).isZero();
        assertThat(head.queryOffset()).isEqualTo(-1);
        assertThat(head.queryLength()).isZero();
        releaseAll(out);
    }

    @Test
    void acceptsAbsoluteFormWhoseAuthorityMatchesHostIgnoringCase() {
        List<Object> out = decode("GET http://Shop.Example:8080/a?b HTTP/1.1\r\nHost: shop.example:8080\r\n\r\n");
        assertThat(out.get(0)).isInstanceOf(HttpRequestHead.class);
        releaseAll(out);
    }

    @Test
    void acceptsAbsoluteFormWithoutHostInHttp10() {
        List<Object> out = decode("GET http://h/a HTTP/1.0\r\n\r\n");
        assertThat(out.get(0)).isInstanceOf(HttpRequestHead.class);
        releaseAll(out);
    }

    @Test
    void acceptsOrdinaryTrailerFields() {
        List<Object> out = decode("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\nX-Checksum: abc\r\nServer-Timing: db;dur=5\r\n\r\n");
        assertThat(shape(out)).containsExactly("HttpRequestHead", "HttpBodyEnd");
        releaseAll(out);
    }

    @Test
    void acceptsAsteriskFormForOptions() {
        List<Object> out = decode("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.asteriskForm()).isTrue();
        assertThat(head.target()).isEqualTo("*");
        releaseAll(out);
    }

    // ---- rejections ------------------------------------------------------------------------

    static Stream<Arguments> rejections() {
        String host = "Host: h\r\n";
        return Stream.of(
                // framing, RFC 9112 §6
                Arguments.of("CL with TE", "POST / HTTP/1.1\r\n" + host + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Content-Length with Transfer-Encoding"),
                Arguments.of("TE with CL", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400, "Content-Length with Transfer-Encoding"),
                Arguments.of("two equal CL", "POST / HTTP/1.1\r\n" + host + "Content-Length: 3\r\nContent-Length: 3\r\n\r\n", 400, "multiple Content-Length"),
                Arguments.of("CL list", "POST / HTTP/1.1\r\n" + host + "Content-Length: 3, 3\r\n\r\n", 400, "invalid Content-Length"),
                Arguments.of("CL sign", "POST / HTTP/1.1\r\n" + host + "Content-Length: +3\r\n\r\n", 400, "invalid Content-Length"),
                Arguments.of("CL negative", "POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n", 400, "invalid Content-Length"),
                Arguments.of("CL inner space", "POST / HTTP/1.1\r\n" + host + "Content-Length: 1 2\r\n\r\n", 400, "invalid Content-Length"),
                Arguments.of("CL hex", "POST / HTTP/1.1\r\n" + host + "Content-Length: 0x10\r\n\r\n", 400, "invalid Content-Length"),
                Arguments.of("CL empty", "POST / HTTP/1.1\r\n" + host + "Content-Length:\r\n\r\n", 400, "invalid Content-Length"),
                Arguments.of("CL overflow", "POST / HTTP/1.1\r\n" + host + "Content-Length: 9223372036854775808\r\n\r\n", 400, "invalid Content-Length"),
                Arguments.of("TE list", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip, chunked\r\n\r\n", 400, "unsupported Transfer-Encoding"),
                Arguments.of("TE twice in list", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400, "unsupported Transfer-Encoding"),
                Arguments.of("TE xchunked", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: xchunked\r\n\r\n", 400, "unsupported Transfer-Encoding"),
                Arguments.of("TE quoted", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: \"chunked\"\r\n\r\n", 400, "unsupported Transfer-Encoding"),
                Arguments.of("TE identity", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: identity\r\n\r\n", 400, "unsupported Transfer-Encoding"),
                Arguments.of("TE two fields", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "multiple Transfer-Encoding"),
                Arguments.of("TE in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Transfer-Encoding in HTTP/1.0 message"),
                Arguments.of("chunk size not hex", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "invalid chunk size"),
                Arguments.of("chunk size empty", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n\r\n", 400, "invalid chunk size"),
                Arguments.of("chunk size then junk", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n5 x\r\n", 400, "invalid chunk extension"),
                Arguments.of("chunk size negative", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n-5\r\n", 400, "invalid chunk size"),
                Arguments.of("chunk size 17 digits", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n00000000000000001\r\n", 400, "chunk size overflow"),
                Arguments.of("chunk size > Long.MAX", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n8000000000000000\r\n", 400, "chunk size overflow"),
                Arguments.of("chunk ext with bare CR", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n5;a\rb\r\n", 400, "invalid chunk extension"),
                Arguments.of("chunk line bare LF", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n5\n", 400, "bare LF line ending"),
                Arguments.of("no CRLF after chunk data", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", 400, "missing CRLF after chunk data"),
                Arguments.of("LF only after chunk data", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n", 400, "missing CRLF after chunk data"),
                Arguments.of("CL in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n", 400, "framing field in trailer section"),
                Arguments.of("obs-fold in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n", 400, "obsolete line folding"),
                Arguments.of("Connection in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nConnection: close\r\n\r\n", 400, "hop-by-hop field in trailer section"),
                Arguments.of("Upgrade in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nUpgrade: h2c\r\n\r\n", 400, "hop-by-hop field in trailer section"),
                Arguments.of("Trailer in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nTrailer: x\r\n\r\n", 400, "hop-by-hop field in trailer section"),
                Arguments.of("Proxy-Authorization in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nProxy-Authorization: Basic x\r\n\r\n", 400, "hop-by-hop field in trailer section"),
                Arguments.of("TE in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "framing field in trailer section"),
                Arguments.of("Host in trailers", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nHost: evil\r\n\r\n", 400, "framing field in trailer section"),
                Arguments.of("NUL in trailer value", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\u0000\r\n\r\n", 400, "invalid character in field value"),
                Arguments.of("TE with trailing comma", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked,\r\n\r\n", 400, "unsupported Transfer-Encoding"),
                Arguments.of("TE with vertical tab", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: \u000bchunked\r\n\r\n", 400, "invalid character in field value"),
                Arguments.of("CL differing", "POST / HTTP/1.1\r\n" + host + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n", 400, "multiple Content-Length"),
                // absolute-form, RFC 9112 §3.2.2
                Arguments.of("authority differs from Host", "GET http://good.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n", 400, "absolute-form authority differs from Host"),
                Arguments.of("authority port differs from Host", "GET http://h:8080/ HTTP/1.1\r\nHost: h\r\n\r\n", 400, "absolute-form authority differs from Host"),
                Arguments.of("authority with backslash", "GET http://h\\evil/ HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid authority in request-target"),
                Arguments.of("authority with quote", "GET http://h\"/ HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid authority in request-target"),
                // Host, RFC 9112 §3.2
                Arguments.of("missing Host", "GET / HTTP/1.1\r\n\r\n", 400, "missing Host"),
                Arguments.of("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, "multiple Host"),
                Arguments.of("Host with path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "invalid Host"),
                Arguments.of("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, "invalid Host"),
                // request line, RFC 9112 §3
                Arguments.of("method not a token", "G(T / HTTP/1.1\r\n" + host + "\r\n", 400, "method is not a token"),
                Arguments.of("double SP after method", "GET  / HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("double SP before version", "GET /  HTTP/1.1\r\n" + host + "\r\n", 400, "malformed HTTP version"),
                Arguments.of("tab separator", "GET\t/ HTTP/1.1\r\n" + host + "\r\n", 400, "method is not a token"),
                Arguments.of("leading SP", " GET / HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request line"),
                Arguments.of("no version", "GET /\r\n" + host + "\r\n", 400, "malformed request line"),
                Arguments.of("trailing SP after version", "GET / HTTP/1.1 \r\n" + host + "\r\n", 400, "malformed HTTP version"),
                Arguments.of("lower-case version", "GET / http/1.1\r\n" + host + "\r\n", 400, "malformed HTTP version"),
                Arguments.of("HTTP/1.1.1", "GET / HTTP/1.1.1\r\n" + host + "\r\n", 400, "malformed HTTP version"),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n" + host + "\r\n", 505, "HTTP version not supported"),
                Arguments.of("HTTP/0.9", "GET / HTTP/0.9\r\n" + host + "\r\n", 505, "HTTP version not supported"),
                Arguments.of("control char in target", "GET /a\u0001b HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("non-ASCII in target", "GET /\u00e9 HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("fragment in target", "GET /a#b HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("relative target", "GET a/b HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("ftp scheme", "GET ftp://h/ HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("empty authority", "GET http:///x HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("userinfo", "GET http://good@evil/ HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("asterisk with GET", "GET * HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501, "CONNECT not supported"),
                // field lines, RFC 9112 §5 and RFC 9110 §5.5
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "whitespace between field name and colon"),
                Arguments.of("tab before colon", "GET / HTTP/1.1\r\n" + host + "X-A\t: 1\r\n\r\n", 400, "whitespace between field name and colon"),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\n" + host + "X-A: 1\r\n 2\r\n\r\n", 400, "obsolete line folding"),
                Arguments.of("fold on first line", "GET / HTTP/1.1\r\n\tX-A: 1\r\n" + host + "\r\n", 400, "obsolete line folding"),
                Arguments.of("empty name", "GET / HTTP/1.1\r\n" + host + ": v\r\n\r\n", 400, "field name is not a token"),
                Arguments.of("name with slash", "GET / HTTP/1.1\r\n" + host + "X/A: v\r\n\r\n", 400, "field name is not a token"),
                Arguments.of("no colon", "GET / HTTP/1.1\r\n" + host + "X-A\r\n\r\n", 400, "field line without colon"),
                Arguments.of("NUL in value", "GET / HTTP/1.1\r\n" + host + "X-A: a\u0000b\r\n\r\n", 400, "invalid character in field value"),
                Arguments.of("DEL in value", "GET / HTTP/1.1\r\n" + host + "X-A: a\u007fb\r\n\r\n", 400, "invalid character in field value"),
                Arguments.of("bare CR in value", "GET / HTTP/1.1\r\n" + host + "X-A: a\rb\r\n\r\n", 400, "invalid character in field value"),
                Arguments.of("bare CR in request line", "GET /\r HTTP/1.1\r\n" + host + "\r\n", 400, "malformed request-target"),
                Arguments.of("bare LF in request line", "GET / HTTP/1.1\n" + host + "\r\n", 400, "bare LF line ending"),
                Arguments.of("bare LF in field line", "GET / HTTP/1.1\r\n" + "Host: h\n\r\n", 400, "bare LF line ending"),
                Arguments.of("bare LF ending head", "GET / HTTP/1.1\r\n" + host + "\n", 400, "bare LF line ending"),
                // Expect, RFC 9110 §10.1.1
                Arguments.of("unknown expectation", "PUT / HTTP/1.1\r\n" + host + "Expect: 200-ok\r\n\r\n", 417, "unsupported expectation"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejections")
    void rejectsMalformedRequestWithStatus(String name, String request, int status, String reason) {
        List<Object> out = decode(request);
        HttpDecodeError error = (HttpDecodeError) out.get(out.size() - 1);
        // Body framing errors surface after the (valid) head was emitted; head errors emit nothing else.
        assertThat(shape(out)).isIn(List.of("HttpDecodeError"), List.of("HttpRequestHead", "HttpDecodeError"),
                List.of("HttpRequestHead", "body", "HttpDecodeError"));
        releaseAll(out);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} -> {2}, byte by byte")
    @MethodSource("rejections")
    void rejectsMalformedRequestFedByteByByte(String name, String request, int status, String reason) {
        channel();
        writeByteByByte(ch, request);
        List<Object> out = drain(ch);
        // A chunked rejection comes after the head was already emitted.
        HttpDecodeError error = (HttpDecodeError) out.get(out.size() - 1);
        releaseAll(out);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.reason()).isEqualTo(reason);
        assertThat(out).filteredOn(m -> m instanceof HttpDecodeError).hasSize(1);
    }

    @Test
    void rejectsContentLengthWithTransferEncoding() {
        HttpDecodeError error = onlyError(decode(
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertThat(error).isEqualTo(new HttpDecodeError(400, "Content-Length with Transfer-Encoding"));
    }

    @Test
    void discardsAllInputAfterAnErrorAndReleasesIt() {
        List<Object> out = decode("GET / HTTP/1.1\r\nHost : h\r\n\r\n");
        onlyError(out);
        ByteBuf more = bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        ch.writeInbound(more);
        assertThat(drain(ch)).isEmpty();
        assertThat(more.refCnt()).isZero();
        decoder.resume();
        assertThat(drain(ch)).isEmpty();
    }

    // ---- limits ----------------------------------------------------------------------------

    @Test
    void rejectsRequestLineOverTheLimitWith414() {
        channel(new Http1RequestDecoder(64, 1024, 10));
        ch.writeInbound(bytes("GET /" + "a".repeat(60) + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(onlyError(drain(ch)).status()).isEqualTo(414);
    }

    @Test
    void acceptsRequestLineExactlyAtTheLimit() {
        String line = "GET /" + "a".repeat(64 - 14) + " HTTP/1.1";
        assertThat(line).hasSize(64);
        channel(new Http1RequestDecoder(64, 1024, 10));
        ch.writeInbound(bytes(line + "\r\nHost: h\r\n\r\n"));
        assertThat(drainShape(ch)).containsExactly("HttpRequestHead", "HttpBodyEnd");
    }

    @Test
    void rejectsLongRequestLineBeforeItEnds() {
        channel(new Http1RequestDecoder(64, 1024, 10));
        ch.writeInbound(bytes("GET /" + "a".repeat(70)));
        assertThat(onlyError(drain(ch)).status()).isEqualTo(414);
    }

    @Test
    void rejectsHeaderSectionOverTheLimitWith431BeforeItEnds() {
        channel(new Http1RequestDecoder(64, 100, 10));
        ch.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Long: " + "v".repeat(100)));
        HttpDecodeError error = onlyError(drain(ch));
        assertThat(error.status()).isEqualTo(431);
        assertThat(error.reason()).isEqualTo("header section too large");
    }

    @Test
    void rejectsSlowlorisStreamOfSmallHeadersWith431() {
        channel(new Http1RequestDecoder(64, 100, 1000));
        ch.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\n"));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 30 && out.isEmpty(); i++) {
            writeByteByByte(ch, "A: b\r\n");
            out.addAll(drain(ch));
        }
        assertThat(onlyError(out).status()).isEqualTo(431);
    }

    @Test
    void acceptsHeaderSectionExactlyAtTheLimit() {
        String fields = "Host: h\r\nX: " + "v".repeat(100 - 9 - 5) + "\r\n";
        assertThat(fields).hasSize(100);
        channel(new Http1RequestDecoder(64, 100, 10));
        writeByteByByte(ch, "GET / HTTP/1.1\r\n" + fields + "\r\n");
        assertThat(drainShape(ch)).containsExactly("HttpRequestHead", "HttpBodyEnd");
    }

    @Test
    void rejectsTooManyHeaderFieldsWith431() {
        channel(new Http1RequestDecoder(64, 4096, 3));
        ch.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"));
        HttpDecodeError error = onlyError(drain(ch));
        assertThat(error.status()).isEqualTo(431);
        assertThat(error.reason()).isEqualTo("too many header fields");
    }

    @Test
    void rejectsTrailerSectionOverTheLimitWith431() {
        channel(new Http1RequestDecoder(64, 60, 10));
        ch.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + "t".repeat(60)));
        List<Object> out = drain(ch);
        assertThat(shape(out)).containsExactly("HttpRequestHead", "HttpDecodeError");
        assertThat(((HttpDecodeError) out.get(1)).status()).isEqualTo(431);
        releaseAll(out);
    }

    @Test
    void rejectsEndlessChunkExtensions() {
        channel(new Http1RequestDecoder(64, 1024, 10));
        ch.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;" + "e".repeat(100)));
        List<Object> out = drain(ch);
        assertThat(shape(out)).containsExactly("HttpRequestHead", "HttpDecodeError");
        assertThat(out.get(1)).isEqualTo(new HttpDecodeError(400, "chunk line too long"));
        releaseAll(out);
    }

    // ---- buffer ownership ------------------------------------------------------------------

    @Test
    void releasesEveryBufferOnceConsumersReleaseWhatTheyReceived() {
        channel();
        ByteBuf in = bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: y\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        in.retain(); // our own reference, to observe the decoder's
        ch.writeInbound(in);
        List<Object> out = drain(ch);
        assertThat(in.refCnt()).as("head, body and trailers are retained slices").isGreaterThan(1);
        releaseAll(out);
        decoder.resume();
        releaseAll(drain(ch));
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void headKeepsItsBytesAfterTheCumulationIsReusedForPipelinedInput() {
        channel().writeInbound(bytes("GET /first HTTP/1.1\r\nHost: h\r\n\r\nGET /sec"));
        List<Object> out = drain(ch);
        HttpRequestHead first = (HttpRequestHead) out.get(0);
        ch.writeInbound(bytes("ond HTTP/1.1\r\nHost: h\r\n\r\n"));
        decoder.resume();
        List<Object> next = drain(ch);
        assertThat(first.target()).isEqualTo("/first");
        assertThat(((HttpRequestHead) next.get(0)).target()).isEqualTo("/second");
        releaseAll(out);
        releaseAll(next);
    }

    @Test
    void channelCloseReleasesBufferedBytes() {
        channel().writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        releaseAll(drain(ch));
        ByteBuf pipelined = bytes("GET /2 HTTP/1.1\r\n");
        pipelined.retain();
        ch.writeInbound(pipelined);
        ch.close();
        assertThat(pipelined.refCnt()).isEqualTo(1);
        pipelined.release();
    }
}
