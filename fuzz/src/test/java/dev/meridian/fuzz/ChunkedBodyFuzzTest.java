package dev.meridian.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the chunked body state machine: a fixed valid head, then fuzzer bytes as the body.
 *
 * <p>Invariants: no exception, every buffer released, and when the decoder ends the body the data it
 * delivered is exactly what a plain reading of RFC 9112 §7.1 extracts from the same bytes (chunk
 * sizes obeyed; extensions and CRLFs never leak into the data; a body never ends early).
 */
class ChunkedBodyFuzzTest {

    private static final byte[] HEAD = ("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @FuzzTest
    void deliversExactlyTheChunkDataOrRejects(byte[] body) {
        Http1RequestDecoder decoder = new Http1RequestDecoder();
        DecoderHarness h = DecoderHarness.request(decoder);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean ended = false;
        boolean failed = false;
        try {
            h.write(HEAD, 0, HEAD.length);
            int step = body.length == 0 ? 1 : 1 + (body[0] & 0x0F);
            h.writeInSteps(body, step);
            for (Object m : h.messages) {
                if (m instanceof ByteBuf b) {
                    byte[] chunk = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), chunk);
                    data.writeBytes(chunk);
                } else if (m instanceof HttpBodyEnd) {
                    ended = true;
                } else if (m instanceof HttpDecodeError) {
                    failed = true;
                }
            }
        } finally {
            h.closeAndCheck();
        }
        byte[] all = new byte[HEAD.length + body.length];
        System.arraycopy(HEAD, 0, all, 0, HEAD.length);
        System.arraycopy(body, 0, all, HEAD.length, body.length);
        ReferenceRequestParser.Verdict verdict = ReferenceRequestParser.firstRequest(all);
        if (ended != (verdict == ReferenceRequestParser.Verdict.ACCEPT)
                || failed != (verdict == ReferenceRequestParser.Verdict.REJECT)) {
            throw new AssertionError("decoder ended=" + ended + " failed=" + failed + ", reference " + verdict);
        }
        if (ended) {
            byte[] expected = ReferenceChunks.data(body);
            if (!java.util.Arrays.equals(expected, data.toByteArray())) {
                throw new AssertionError("chunk data differs: " + data.size() + " bytes vs " + expected.length);
            }
        }
    }
}
