package dev.meridian.engine.filter;

import dev.meridian.engine.codec.HeaderEdits;
import dev.meridian.engine.codec.Http1ResponseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * A response a filter answers with instead of the origin (a 403, a redirect): status, a few
 * fields and a small body. Immutable, so a filter builds a fixed one once and answers every
 * request with it; the {@code with*} methods return copies.
 *
 * <p>The proxy adds Content-Length and, when it closes the connection, {@code Connection: close};
 * fields are checked as {@link HeaderEdits} checks response edits.
 */
public final class LocalReply {

    /** The largest body a local reply carries: it is written in one buffer, not streamed. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    private final HeaderEdits headers;
    private final AsciiString contentType;
    private final byte[] body;

    private LocalReply(int status, HeaderEdits headers, AsciiString contentType, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.contentType = contentType;
        this.body = body;
    }

    /**
     * A reply with {@code status} and no body.
     *
     * @param status a final status, 200..599
     */
    public static LocalReply of(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
        }
        return new LocalReply(status, HeaderEdits.forResponse(), null, NO_BODY);
    }

    /** This reply with a field {@code name: value} added. */
    public LocalReply withHeader(CharSequence name, CharSequence value) {
        HeaderEdits copy = HeaderEdits.forResponse();
        copyTo(copy);
        copy.add(new AsciiString(name), new AsciiString(value));
        return new LocalReply(status, copy, contentType, body);
    }

    /** This reply with a UTF-8 {@code text/plain} body. */
    public LocalReply withBody(String text) {
        return withBody(TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8));
    }

    /** This reply with {@code body} of media type {@code contentType}. */
    public LocalReply withBody(CharSequence contentType, byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("body: " + body.length + " bytes (expected: <= " + MAX_BODY_BYTES + ")");
        }
        if (!HeaderEdits.isFieldValue(contentType)) {
            throw new IllegalArgumentException("contentType: \"" + contentType + "\" (expected: a field value)");
        }
        return new LocalReply(status, headers, new AsciiString(contentType), body.clone());
    }

    public int status() {
        return status;
    }

    /** The first value of field {@code name} this reply carries, or null. */
    public String header(CharSequence name) {
        AsciiString v = headers.firstValue(new AsciiString(name));
        return v == null ? null : v.toString();
    }

    /**
     * The reply's bytes for a client on a connection that {@code close}s or not; the body is
     * left out for a HEAD request.
     */
    public ByteBuf encode(ByteBufAllocator alloc, boolean close, boolean headRequest) {
        return Http1ResponseEncoder.encodeLocal(alloc, status, headers, contentType, body, close, headRequest);
    }

    private void copyTo(HeaderEdits target) {
        headers.forEachAdded(target::add);
    }
}
