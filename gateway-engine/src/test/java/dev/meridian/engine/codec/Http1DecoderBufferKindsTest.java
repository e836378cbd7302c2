package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.bytes;
import static dev.meridian.engine.codec.CodecTestSupport.drain;
import static dev.meridian.engine.codec.CodecTestSupport.releaseAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the decoders see the same messages whatever kind of buffer the bytes arrive in: the head
 * parser reads heap buffers in place and copies every other kind into a scratch array a window at
 * a time ({@link HeadView}), so both paths, and the window edges, must agree byte for byte.
 */
class Http1DecoderBufferKindsTest {

    private static final String HOST = "Host: h\r\n";

    /** The reference: one pooled direct buffer per request, as a socket read produces. */
    private static List<String> transcript(Supplier<Http1Decoder> decoder, List<ByteBuf> reads) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder.get());
        List<String> out = new ArrayList<>();
        for (ByteBuf read : reads) {
            ch.writeInbound(read);
            boolean more = true;
            while (more) {
                more = false;
                for (Object m : drain(ch)) {
                    String d = describe(m);
                    int last = out.size() - 1;
                    if (d.startsWith("body ") && last >= 0 && out.get(last).startsWith("body ")) {
                        out.set(last, out.get(last) + d.substring(5)); // reads split bodies anywhere
                    } else {
                        out.add(d);
                    }
                    releaseAll(List.of(m));
                    more |= m instanceof HttpBodyEnd;
                }
                // As the proxy does when an exchange ends: let the next pipelined request through.
                if (more && ch.pipeline().first() instanceof Http1RequestDecoder d && d.paused()) {
                    d.resume();
                }
            }
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static String describe(Object m) {
        if (m instanceof HttpRequestHead h) {
            StringBuilder sb = new StringBuilder("head ").append(h.method()).append(' ').append(h.target())
                    .append(" path=").append(h.pathOffset()).append('+').append(h.pathLength())
                    .append(" query=").append(h.queryOffset()).append(" host=").append(h.hostIndex())
                    .append(" cl=").append(h.contentLength()).append(" chunked=").append(h.chunked())
                    .append(" keepAlive=").append(h.keepAlive()).append(" expect=").append(h.expectContinue())
                    .append(" bytes=").append(h.buffer().readableBytes());
            for (int i = 0; i < h.headerCount(); i++) {
                sb.append(" [").append(h.nameOffset(i)).append(':').append(h.headerName(i)).append('@')
                        .append(h.valueOffset(i)).append('=').append(h.headerValue(i))
                        .append(h.isHopByHop(i) ? " hop" : "").append(']');
            }
            return sb.toString();
        }
        if (m instanceof HttpResponseHead h) {
            StringBuilder sb = new StringBuilder("response ").append(h.status()).append(" cl=")
                    .append(h.contentLength()).append(" chunked=").append(h.chunked());
            for (int i = 0; i < h.headerCount(); i++) {
                sb.append(" [").append(h.headerName(i)).append('=').append(h.headerValue(i)).append(']');
            }
            return sb.toString();
        }
        if (m instanceof ByteBuf b) {
            return "body " + b.toString(StandardCharsets.ISO_8859_1);
        }
        if (m instanceof HttpBodyEnd e) {
            return "end " + (e.trailers() == null ? "" : e.trailers().toString(StandardCharsets.ISO_8859_1));
        }
        if (m instanceof HttpDecodeError e) {
            return "error " + e.status() + ' ' + e.reason();
        }
        return m.getClass().getSimpleName();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A heap buffer whose bytes start at a non-zero array offset, with junk on both sides. */
    private static ByteBuf heapSlice(byte[] b) {
        byte[] padded = new byte[b.length + 11];
        java.util.Arrays.fill(padded, (byte) '\n');
        System.arraycopy(b, 0, padded, 5, b.length);
        return Unpooled.wrappedBuffer(padded).slice(5, b.length);
    }

    private static ByteBuf composite(byte[] b, int split) {
        CompositeByteBuf c = Unpooled.compositeBuffer();
        c.addComponent(true, Unpooled.directBuffer(Math.max(1, split)).writeBytes(b, 0, split));
        c.addComponent(true, Unpooled.wrappedBuffer(b, split, b.length - split).copy());
        return c;
    }

    static Stream<Arguments> requests() {
        List<Arguments> cases = new ArrayList<>();
        Http1RequestDecoderTest.rejections().forEach(a -> cases.add(Arguments.of(a.get()[0], a.get()[1])));
        cases.add(Arguments.of("simple GET", "GET /a?b HTTP/1.1\r\nHost: example.com\r\nAccept:  */* \r\n\r\n"));
        cases.add(Arguments.of("tabs and empty values", "GET / HTTP/1.1\r\nHost: h\r\nX-A:\t1\t\r\nX-B:\r\nX-C: \r\n"
                + "X-D: a\tb\r\nX-E:" + "\u00e9\u00ff obs-text\r\n\r\n"));
        cases.add(Arguments.of("connection options", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close, X-Opt\r\n"
                + "X-Opt: 1\r\nKeep-Alive: 5\r\n\r\n"));
        cases.add(Arguments.of("absolute form", "GET http://H.example:80/p?q HTTP/1.1\r\nHost: h.EXAMPLE:80\r\n\r\n"));
        cases.add(Arguments.of("chunked with trailers", "POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;x=y\r\nhello\r\n0\r\nX-T: 1\r\nX-U:\t2\r\n\r\n"));
        cases.add(Arguments.of("pipelined", "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\n"
                + "Content-Length: 3\r\n\r\nabcGET /3 HTTP/1.0\r\n\r\n"));
        cases.add(Arguments.of("empty lines first", "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        // Heads longer than the first copy window (2 KiB) and than the kept scratch (8 KiB).
        for (int size : new int[] {2030, 2040, 2047, 2048, 2049, 2055, 4100, 9000, 20000}) {
            cases.add(Arguments.of("head of ~" + size + " B",
                    "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "v".repeat(size) + "\r\nX-After: 1\r\n\r\n"));
            cases.add(Arguments.of("field ending near " + size, "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: "
                    + "p".repeat(size - 40) + "\r\nX-Edge: e\r\n\r\n"));
        }
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < 90; i++) {
            many.append("X-Field-").append(i).append(": value-").append("z".repeat(i)).append("\r\n");
        }
        cases.add(Arguments.of("90 fields across windows", many + "\r\n"));
        cases.add(Arguments.of("bad byte past the first window", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: "
                + "v".repeat(3000) + "\u0001\r\n\r\n"));
        cases.add(Arguments.of("bare LF past the first window", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: "
                + "v".repeat(3000) + "\n\r\n"));
        cases.add(Arguments.of("POST with a large body in the same read", "POST / HTTP/1.1\r\nHost: h\r\n"
                + "Content-Length: 70000\r\n\r\n" + "b".repeat(70000)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestDecoderSeesTheSameMessagesInEveryBufferKind(String name, String request) {
        byte[] b = latin1(request);
        Supplier<Http1Decoder> decoder = Http1RequestDecoder::new;
        List<String> expected = transcript(decoder, List.of(bytes(request)));
        assertThat(expected).isNotEmpty();

        assertThat(transcript(decoder, List.of(Unpooled.wrappedBuffer(b.clone())))).as("heap").isEqualTo(expected);
        assertThat(transcript(decoder, List.of(heapSlice(b)))).as("heap slice").isEqualTo(expected);
        assertThat(transcript(decoder, List.of(UnpooledByteBufAllocator.DEFAULT.directBuffer(b.length).writeBytes(b))))
                .as("unpooled direct").isEqualTo(expected);
        assertThat(transcript(decoder, List.of(Unpooled.wrappedBuffer(b.clone()).asReadOnly())))
                .as("read-only heap").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestDecoderSeesTheSameMessagesWhateverTheSplit(String name, String request) {
        byte[] b = latin1(request);
        Supplier<Http1Decoder> decoder = Http1RequestDecoder::new;
        List<String> expected = transcript(decoder, List.of(bytes(request)));
        // Every split point up to 600 bytes in and around the window edges, not all 70,000.
        for (int split = 0; split <= b.length; split += split < 600 || Math.abs(split - 2048) < 40 ? 1 : 97) {
            int s = split;
            assertThat(transcript(decoder, List.of(composite(b, s)))).as("composite split at %d", s).isEqualTo(expected);
            assertThat(transcript(decoder, List.of(Unpooled.wrappedBuffer(b, 0, s).copy(), bytes(
                    new String(b, s, b.length - s, StandardCharsets.ISO_8859_1)))))
                    .as("heap then direct read, split at %d", s).isEqualTo(expected);
            assertThat(transcript(decoder, List.of(bytes(new String(b, 0, s, StandardCharsets.ISO_8859_1)),
                    Unpooled.wrappedBuffer(b, s, b.length - s).copy())))
                    .as("direct then heap read, split at %d", s).isEqualTo(expected);
        }
    }

    @Test
    void lineEndingPastTheViewCapKeepsItsErrorPrecedence() {
        // Limits so small that the view's cap (request line + field section + 4) is 196 bytes.
        Supplier<Http1Decoder> small = () -> new Http1RequestDecoder(64, 128, 10);
        Function<String, List<String>> run = s -> transcript(small, List.of(bytes(s)));
        String longTarget = "/" + "t".repeat(300);
        assertThat(run.apply("GET " + longTarget + " HTTP/1.1\n" + HOST + "\r\n"))
                .containsExactly("error 400 bare LF line ending");
        assertThat(run.apply("GET " + longTarget + " HTTP/1.1\r\n" + HOST + "\r\n"))
                .containsExactly("error 414 start line too long");
        String longValue = "X-A: " + "v".repeat(300);
        assertThat(run.apply("GET / HTTP/1.1\r\n" + longValue + "\n\r\n")).containsExactly("error 400 bare LF line ending");
        assertThat(run.apply("GET / HTTP/1.1\r\n" + longValue + "\r\n\r\n"))
                .containsExactly("error 431 header section too large");
        // The same through heap buffers, which are viewed in place without a cap.
        assertThat(transcript(small, List.of(Unpooled.wrappedBuffer(latin1("GET / HTTP/1.1\r\n" + longValue + "\n\r\n")))))
                .containsExactly("error 400 bare LF line ending");
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of("fixed", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A:\t1 \r\n\r\nok"),
                Arguments.of("chunked with trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: 1\r\n\r\n"),
                Arguments.of("bad status", "HTTP/1.1 20 OK\r\n\r\n"),
                Arguments.of("bad field", "HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n"),
                Arguments.of("long head", "HTTP/1.1 204 No Content\r\nX-Big: " + "v".repeat(5000) + "\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void responseDecoderSeesTheSameMessagesInEveryBufferKind(String name, String response) {
        byte[] b = latin1(response);
        Supplier<Http1Decoder> decoder = () -> {
            Http1ResponseDecoder d = new Http1ResponseDecoder();
            d.expectResponse(false);
            return d;
        };
        List<String> expected = transcript(decoder, List.of(bytes(response)));
        assertThat(transcript(decoder, List.of(Unpooled.wrappedBuffer(b.clone())))).as("heap").isEqualTo(expected);
        for (int split = 0; split <= Math.min(b.length, 300); split++) {
            assertThat(transcript(decoder, List.of(composite(b, split)))).as("composite split at %d", split)
                    .isEqualTo(expected);
        }
    }
}
