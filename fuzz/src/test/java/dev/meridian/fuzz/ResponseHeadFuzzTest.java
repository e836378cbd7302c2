package dev.meridian.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.engine.codec.Http1ResponseDecoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;
import dev.meridian.engine.codec.HttpResponseHead;

/**
 * Fuzzes the response decoder as an upstream connection sees it: one or two requests announced,
 * fuzzer bytes as the origin's answer, then the origin closes.
 *
 * <p>Invariants: no exception, every buffer released, every error is 502 and is the last message,
 * no more final heads than announced requests, and a head that says it has no body gets none.
 */
class ResponseHeadFuzzTest {

    @FuzzTest
    void answersAnyOriginBytesWith502OrWellFramedResponses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int mode = input[0];
        byte[] response = java.util.Arrays.copyOfRange(input, 1, input.length);
        Http1ResponseDecoder decoder = new Http1ResponseDecoder();
        DecoderHarness h = DecoderHarness.response(decoder);
        int announced = (mode & 1) == 0 ? 1 : 2;
        try {
            for (int i = 0; i < announced; i++) {
                decoder.expectResponse((mode & 2) != 0 && i == 0);
            }
            h.writeInSteps(response, 1 + ((mode >>> 2) & 0x1F));
            h.channel.finish(); // the origin closes: close-delimited bodies end, truncated ones fail
            h.drain();
            int heads = 0;
            boolean inNoBody = false;
            for (int k = 0; k < h.messages.size(); k++) {
                Object m = h.messages.get(k);
                if (m instanceof HttpResponseHead head) {
                    heads++;
                    inNoBody = head.noBody();
                    if (head.status() < 200 || head.status() > 599) {
                        throw new AssertionError("status fired: " + head.status());
                    }
                } else if (m instanceof io.netty.buffer.ByteBuf && inNoBody) {
                    throw new AssertionError("body bytes after a head without body");
                } else if (m instanceof HttpBodyEnd) {
                    inNoBody = false;
                } else if (m instanceof HttpDecodeError e) {
                    if (e.status() != 502 || k != h.messages.size() - 1) {
                        throw new AssertionError("upstream error must be a final 502: " + h.messages);
                    }
                }
            }
            if (heads > announced) {
                throw new AssertionError(heads + " heads for " + announced + " requests");
            }
        } finally {
            h.closeAndCheck();
        }
    }
}
