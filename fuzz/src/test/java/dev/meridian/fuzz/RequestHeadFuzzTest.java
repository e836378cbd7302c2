package dev.meridian.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.Http1RequestEncoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;
import dev.meridian.engine.codec.HttpRequestHead;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fuzzes the request decoder with whole connections' worth of bytes (heads, bodies, pipelining).
 *
 * <p>Invariants: no exception escapes; every buffer is released; the sequence of messages does not
 * depend on how the bytes were split into reads; at most one {@link HttpDecodeError}, always last;
 * every accepted head re-encodes (as the proxy forwards it) into a head that decodes to the same
 * method, origin-form target and end-to-end fields.
 */
class RequestHeadFuzzTest {

    @FuzzTest
    void decodesAnyBytesWithoutLeaksAndReencodesAcceptedHeads(byte[] input) {
        List<String> whole = run(input, input.length + 1, true);
        List<String> split = run(input, 7, false);
        List<String> byByte = run(input, 1, false);
        if (!whole.equals(split) || !whole.equals(byByte)) {
            throw new AssertionError("split-dependent result: whole=" + whole + " split7=" + split + " byByte=" + byByte);
        }
    }

    /** Decodes {@code input} in reads of {@code step} bytes; returns the message sequence as text. */
    private static List<String> run(byte[] input, int step, boolean reencode) {
        Http1RequestDecoder decoder = new Http1RequestDecoder();
        DecoderHarness h = DecoderHarness.request(decoder);
        List<String> shape = new ArrayList<>();
        try {
            for (int i = 0; i < input.length; i += step) {
                h.write(input, i, Math.min(input.length, i + step));
                resumeWhilePaused(decoder, h);
            }
            int errors = 0;
            for (int k = 0; k < h.messages.size(); k++) {
                Object m = h.messages.get(k);
                if (m instanceof HttpRequestHead head) {
                    shape.add("head " + head.method() + " " + head.target() + " " + head.headerCount());
                    if (reencode) {
                        checkReencoding(head, h);
                    }
                } else if (m instanceof ByteBuf b) {
                    shape.add("body " + b.readableBytes());
                } else if (m instanceof HttpBodyEnd e) {
                    shape.add("end " + (e.trailers() == null ? 0 : e.trailers().readableBytes()));
                } else if (m instanceof HttpDecodeError e) {
                    errors++;
                    if (k != h.messages.size() - 1) {
                        throw new AssertionError("messages after an error: " + h.messages);
                    }
                    shape.add("error " + e.status() + " " + e.reason());
                }
            }
            if (errors > 1) {
                throw new AssertionError("more than one error");
            }
        } finally {
            h.closeAndCheck();
        }
        return mergeBodies(shape);
    }

    static void resumeWhilePaused(Http1RequestDecoder decoder, DecoderHarness h) {
        while (decoder.paused()) {
            int before = h.messages.size();
            decoder.resume();
            h.drain();
            if (h.messages.size() == before) {
                break;
            }
        }
    }

    /** Body buffers depend on read boundaries; only their total is compared. */
    private static List<String> mergeBodies(List<String> shape) {
        List<String> out = new ArrayList<>();
        long body = -1;
        for (String s : shape) {
            if (s.startsWith("body ")) {
                body = Math.max(body, 0) + Long.parseLong(s.substring(5));
                continue;
            }
            if (body >= 0) {
                out.add("body " + body);
                body = -1;
            }
            out.add(s);
        }
        if (body >= 0) {
            out.add("body " + body);
        }
        return out;
    }

    /** The forwarded head must mean what the received head meant. */
    private static void checkReencoding(HttpRequestHead head, DecoderHarness h) {
        byte[] ip = "192.0.2.1".getBytes(StandardCharsets.US_ASCII);
        ByteBuf encoded = Http1RequestEncoder.encodeHead(h.allocator(), head, ip, false, head.contentLength(),
                head.chunked(), "default.example".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = new byte[encoded.readableBytes()];
        encoded.readBytes(bytes);
        encoded.release();

        // The proxy adds up to four fields (Host, X-Forwarded-*): a head at the count limit stays decodable
        // by a peer with room for them. (Found by this target: crash-022427bd… in the corpus.)
        Http1RequestDecoder again = new Http1RequestDecoder(Http1RequestDecoder.DEFAULT_MAX_REQUEST_LINE_BYTES,
                2 * Http1RequestDecoder.DEFAULT_MAX_HEADER_BYTES, Http1RequestDecoder.DEFAULT_MAX_HEADER_COUNT + 4);
        DecoderHarness h2 = DecoderHarness.request(again);
        try {
            h2.write(bytes, 0, bytes.length);
            if (h2.messages.isEmpty() || !(h2.messages.get(0) instanceof HttpRequestHead copy)) {
                throw new AssertionError("re-encoded head does not decode: " + new String(bytes, StandardCharsets.ISO_8859_1)
                        + " -> " + h2.messages);
            }
            String expectedTarget = expectedOriginForm(head);
            check(head.method(), copy.method(), "method");
            check(expectedTarget, copy.target(), "target");
            check(endToEnd(head), endToEnd(copy), "end-to-end fields");
            check(head.contentLength(), copy.contentLength(), "content-length");
            check(head.chunked(), copy.chunked(), "chunked");
        } finally {
            h2.closeAndCheck();
        }
    }

    private static String expectedOriginForm(HttpRequestHead head) {
        if (!head.absoluteForm()) {
            return head.target();
        }
        String t = head.target();
        String pathAndQuery = t.substring(head.pathOffset() - head.targetOffset());
        return head.pathLength() == 0 ? "/" + pathAndQuery : pathAndQuery;
    }

    /** Fields the proxy forwards unchanged, as "name: value" lines in order. */
    private static List<String> endToEnd(HttpRequestHead head) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < head.headerCount(); i++) {
            String name = head.headerName(i).toLowerCase(java.util.Locale.ROOT);
            if (head.isHopByHop(i) || name.equals("content-length") || name.equals("transfer-encoding")
                    || name.equals("expect") || name.startsWith("x-forwarded-") || name.equals("proxy-authorization")
                    || name.equals("host")) {
                continue;
            }
            out.add(name + ": " + head.headerValue(i));
        }
        return out;
    }

    private static void check(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + " changed by re-encoding: " + expected + " -> " + actual);
        }
    }
}
