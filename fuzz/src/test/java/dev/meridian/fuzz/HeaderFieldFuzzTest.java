package dev.meridian.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpDecodeError;
import dev.meridian.engine.codec.HttpRequestHead;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the field-line validator through the decoder: one fuzzer line between a valid request
 * line and Host, and the end of the head.
 *
 * <p>Invariant: the decoder accepts the line exactly when it matches RFC 9112 §5 field-line syntax
 * (token, colon with no space before it, OWS, VCHAR / obs-text / SP / HTAB) — for names without
 * framing or routing meaning — and then reports the same name and OWS-trimmed value.
 */
class HeaderFieldFuzzTest {

    private static final Pattern FIELD_LINE =
            Pattern.compile("([!#$%&'*+\\-.^_`|~0-9A-Za-z]+):[ \\t]*([\\x20-\\x7E\\x80-\\xFF\\t]*?)[ \\t]*");
    /** Names whose value the decoder also judges semantically (RFC 9112 §3.2, §6; RFC 9110 §10.1.1). */
    private static final Set<String> SEMANTIC = Set.of("host", "content-length", "transfer-encoding", "expect");

    private static final byte[] PREFIX = "GET / HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest
    void acceptsExactlyTheRfcFieldLineSyntax(byte[] line) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        if (text.indexOf('\n') >= 0) {
            return; // one line only: line splitting is the differential target's job
        }
        byte[] request = new byte[PREFIX.length + line.length + SUFFIX.length];
        System.arraycopy(PREFIX, 0, request, 0, PREFIX.length);
        System.arraycopy(line, 0, request, PREFIX.length, line.length);
        System.arraycopy(SUFFIX, 0, request, PREFIX.length + line.length, SUFFIX.length);

        Matcher m = FIELD_LINE.matcher(text);
        boolean syntaxOk = m.matches();
        if (syntaxOk && SEMANTIC.contains(m.group(1).toLowerCase(Locale.ROOT))) {
            return;
        }
        Http1RequestDecoder decoder = new Http1RequestDecoder();
        DecoderHarness h = DecoderHarness.request(decoder);
        try {
            h.write(request, 0, request.length);
            Object first = h.messages.isEmpty() ? null : h.messages.get(0);
            if (line.length == 0) {
                // An empty line ends the head early and "\r\n" follows as a pipelined empty line.
                return;
            }
            if (syntaxOk) {
                if (!(first instanceof HttpRequestHead head)) {
                    throw new AssertionError("valid field line refused: " + first);
                }
                String name = head.headerName(1);
                String value = head.headerValue(1);
                if (!name.equals(m.group(1)) || !value.equals(m.group(2))) {
                    throw new AssertionError("field read as [" + name + "][" + value + "], expected ["
                            + m.group(1) + "][" + m.group(2) + "]");
                }
            } else if (!(first instanceof HttpDecodeError)) {
                throw new AssertionError("invalid field line accepted: " + text);
            }
        } finally {
            h.closeAndCheck();
        }
    }
}
