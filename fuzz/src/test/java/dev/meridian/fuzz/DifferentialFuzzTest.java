package dev.meridian.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;

/**
 * Compares the production request decoder's verdict on the first request of a connection (accept
 * the head and its whole body, reject, or wait for more bytes) with {@link ReferenceRequestParser},
 * an independent, plain reading of the same RFC 9112 rules. Any disagreement is a finding: either
 * a smuggling-relevant bug in the decoder or a rule the two readings state differently.
 */
class DifferentialFuzzTest {

    @FuzzTest
    void decoderAgreesWithReferenceReadingOfRfc9112(byte[] input) {
        if (input.length > 4096) {
            return; // the reference does not model the byte limits (8 KiB line, 64 KiB section)
        }
        ReferenceRequestParser.Verdict expected = ReferenceRequestParser.firstRequest(input);
        ReferenceRequestParser.Verdict actual = decode(input);
        if (expected != actual) {
            throw new AssertionError("decoder says " + actual + ", reference says " + expected + " for "
                    + new String(input, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replace("\r", "\\r").replace("\n", "\\n\n"));
        }
    }

    private static ReferenceRequestParser.Verdict decode(byte[] input) {
        DecoderHarness h = DecoderHarness.request(new Http1RequestDecoder());
        try {
            h.write(input, 0, input.length);
            for (Object m : h.messages) {
                if (m instanceof HttpDecodeError) {
                    return ReferenceRequestParser.Verdict.REJECT;
                }
                if (m instanceof HttpBodyEnd) {
                    return ReferenceRequestParser.Verdict.ACCEPT; // the decoder pauses here
                }
            }
            return ReferenceRequestParser.Verdict.INCOMPLETE;
        } finally {
            h.closeAndCheck();
        }
    }
}
