package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;

/**
 * Encodes the response head the proxy sends downstream from a decoded {@link HttpResponseHead}:
 * status line, end-to-end fields copied byte for byte, framing and connection fields rewritten.
 */
public final class Http1ResponseEncoder {

    private static final byte[] HTTP11_SP = Http1RequestEncoder.ascii("HTTP/1.1 ");
    private static final byte[] CRLF = Http1RequestEncoder.ascii("\r\n");
    private static final byte[] CONTENT_TYPE = Http1RequestEncoder.ascii("Content-Type: ");
    private static final byte[] CONTENT_LENGTH = Http1RequestEncoder.ascii("Content-Length: ");
    private static final byte[] TE_CHUNKED = Http1RequestEncoder.ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONNECTION_CLOSE = Http1RequestEncoder.ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = Http1RequestEncoder.ascii("Connection: keep-alive\r\n");

    private static final int EXTRA_BYTES = 96;

    private Http1ResponseEncoder() {
    }

    /**
     * Writes {@code HTTP/1.1 SP status SP reason CRLF}, the fields of {@code head} except hop-by-hop
     * ones, Content-Length and Transfer-Encoding, then the framing the caller chose, then the empty
     * line. The reason is copied from the origin, or the standard phrase when it sent none.
     *
     * <p>Framing written: {@code Content-Length: contentLength} when {@code contentLength >= 0};
     * else {@code Transfer-Encoding: chunked} when {@code chunked}; else nothing (close-delimited or
     * no body). Then {@code Connection: close} when {@code close}, or {@code Connection: keep-alive}
     * for an HTTP/1.0 client whose connection stays open. For a response without body (HEAD, 304)
     * pass the origin's Content-Length as is; it is written unchanged.
     *
     * @param clientHttp11 whether the client spoke HTTP/1.1
     * @param chunked      chunked framing; only allowed for an HTTP/1.1 client (RFC 9112 §6.1) — for
     *                     HTTP/1.0 pass false and {@code close = true}
     * @return a new buffer from {@code alloc}, owned by the caller
     * @throws IllegalArgumentException when {@code chunked} is requested for an HTTP/1.0 client
     */
    public static ByteBuf encodeHead(ByteBufAllocator alloc, HttpResponseHead head, boolean clientHttp11,
                                     long contentLength, boolean chunked, boolean close) {
        return encodeHead(alloc, head, clientHttp11, contentLength, chunked, close, null);
    }

    /**
     * As {@link #encodeHead(ByteBufAllocator, HttpResponseHead, boolean, long, boolean, boolean)}, with
     * the filters' header {@code edits} applied: received fields they set or removed are skipped,
     * their set and added fields follow the received ones, before the framing fields.
     *
     * @param edits the response's edits, or null (or empty) for none: then nothing differs
     */
    public static ByteBuf encodeHead(ByteBufAllocator alloc, HttpResponseHead head, boolean clientHttp11,
                                     long contentLength, boolean chunked, boolean close, HeaderEdits edits) {
        checkFraming(clientHttp11, contentLength, chunked);
        return encodeHead(alloc.buffer(sizeHint(head, edits)), head, clientHttp11, contentLength, chunked, close,
                edits);
    }

    /** What {@link #encodeHead} is expected to write at most for {@code head} (the buffer grows if not). */
    public static int sizeHint(HttpResponseHead head, HeaderEdits edits) {
        return head.buffer().readableBytes() + EXTRA_BYTES
                + (edits != null && !edits.isEmpty() ? edits.encodedLength() : 0);
    }

    /**
     * As {@link #encodeHead(ByteBufAllocator, HttpResponseHead, boolean, long, boolean, boolean, HeaderEdits)},
     * written into {@code out} (from its writer index) instead of a new buffer: e.g. a connection's
     * reused head buffer ({@code ReusableBuffer}).
     *
     * @return {@code out}
     */
    public static ByteBuf encodeHead(ByteBuf out, HttpResponseHead head, boolean clientHttp11,
                                     long contentLength, boolean chunked, boolean close, HeaderEdits edits) {
        checkFraming(clientHttp11, contentLength, chunked);
        boolean edited = edits != null && !edits.isEmpty();
        ByteBuf src = head.buffer();
        out.writeBytes(HTTP11_SP);
        writeStatus(out, head.status());
        out.writeByte(HttpChars.SP);
        if (head.reasonLength() > 0) {
            out.writeBytes(src, head.reasonOffset(), head.reasonLength());
        } else {
            out.writeBytes(HttpStatusReasons.phrase(head.status()));
        }
        out.writeBytes(CRLF);

        // Each field's kind is the one the decoder gave its name while parsing it.
        int[] t = head.fieldTable();
        long hop = head.hopBits();
        long run = FieldLines.NONE;
        for (int i = 0, at = 0, n = head.headerCount(); i < n; i++, at += HeadFields.STRIDE) {
            boolean hopByHop = i < 64 ? (hop & (1L << i)) != 0 : head.isHopByHop(i);
            int kind = t[at + HeadFields.INFO] & HeadFields.KIND_MASK;
            if (hopByHop || kind == HeaderNames.CONTENT_LENGTH || kind == HeaderNames.TRANSFER_ENCODING
                    || (edited && edits.drops(src, t[at], t[at + HeadFields.NAME_LENGTH]))) {
                continue;
            }
            run = FieldLines.keep(out, src, t, at, run);
        }
        FieldLines.flush(out, src, run);
        if (edited) {
            edits.writeTo(out);
        }

        if (contentLength >= 0) {
            out.writeBytes(CONTENT_LENGTH);
            HttpChars.writeDecimal(out, contentLength);
            out.writeBytes(CRLF);
        } else if (chunked) {
            out.writeBytes(TE_CHUNKED);
        }
        if (close) {
            out.writeBytes(CONNECTION_CLOSE);
        } else if (!clientHttp11) {
            // RFC 9112 §9.3: an HTTP/1.0 client closes unless told the connection persists.
            out.writeBytes(CONNECTION_KEEP_ALIVE);
        }
        out.writeBytes(CRLF);
        return out;
    }

    /**
     * A complete response the proxy answers itself on a filter's behalf: status line with the
     * standard reason phrase, {@code headers}' added fields, {@code Content-Type} when a body is
     * given, its {@code Content-Length}, {@code Connection: close} when {@code close}, then the body
     * (left out for a HEAD request, RFC 9110 §9.3.2, though its length is still announced).
     *
     * @param headers     fields to write (only added ones count), or null
     * @param contentType the body's media type, or null when {@code body} is empty
     * @return a new buffer from {@code alloc}, owned by the caller
     */
    public static ByteBuf encodeLocal(ByteBufAllocator alloc, int status, HeaderEdits headers,
                                      AsciiString contentType, byte[] body, boolean close, boolean headRequest) {
        int size = 64 + (headers == null ? 0 : headers.encodedLength())
                + (contentType == null ? 0 : contentType.length()) + body.length;
        ByteBuf out = alloc.buffer(size);
        out.writeBytes(HTTP11_SP);
        writeStatus(out, status);
        out.writeByte(HttpChars.SP);
        out.writeBytes(HttpStatusReasons.phrase(status));
        out.writeBytes(CRLF);
        if (headers != null) {
            headers.writeTo(out);
        }
        if (contentType != null && body.length > 0) {
            out.writeBytes(CONTENT_TYPE);
            out.writeBytes(contentType.array(), contentType.arrayOffset(), contentType.length());
            out.writeBytes(CRLF);
        }
        out.writeBytes(CONTENT_LENGTH);
        HttpChars.writeDecimal(out, body.length);
        out.writeBytes(CRLF);
        if (close) {
            out.writeBytes(CONNECTION_CLOSE);
        }
        out.writeBytes(CRLF);
        if (!headRequest) {
            out.writeBytes(body);
        }
        return out;
    }

    private static void checkFraming(boolean clientHttp11, long contentLength, boolean chunked) {
        if (chunked && !clientHttp11 && contentLength < 0) {
            throw new IllegalArgumentException("chunked: true (expected: false for an HTTP/1.0 client)");
        }
    }

    static void writeStatus(ByteBuf out, int status) {
        out.writeByte('0' + status / 100 % 10);
        out.writeByte('0' + status / 10 % 10);
        out.writeByte('0' + status % 10);
    }
}
