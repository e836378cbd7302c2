package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCounted;
import java.nio.charset.StandardCharsets;

/**
 * A parsed HTTP/1.x message head kept as offsets over the received bytes (zero copy).
 *
 * <p>{@link #buffer()} is a retained slice holding exactly the head bytes, from the first byte of
 * the start line through the empty line that ends the field section. Every offset is relative to
 * index 0 of that slice: read bytes with {@code buffer().getByte(offset)}.
 *
 * <p>A head is reference counted like any Netty message: whoever receives it from the pipeline
 * calls {@link #release()} exactly once (or passes it on). Releasing twice throws
 * {@link io.netty.util.IllegalReferenceCountException}.
 */
public abstract sealed class HttpHead implements ReferenceCounted permits HttpRequestHead, HttpResponseHead {

    private final ByteBuf buffer;
    private final int[] fields;
    private final long[] hopByHop;
    private final int headerCount;
    private final boolean http11;
    private final long contentLength;
    private final boolean chunked;
    private final boolean keepAlive;

    HttpHead(ByteBuf buffer, HeadFields table, boolean http11, boolean chunked, boolean keepAlive) {
        this.buffer = buffer;
        this.fields = table.copyOffsets();
        this.hopByHop = table.copyHopByHop();
        this.headerCount = table.count();
        this.http11 = http11;
        this.contentLength = table.contentLengthCount == 1 ? table.contentLength : -1;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
    }

    /** The head bytes; offsets of this object index into it. Not retained for the caller. */
    public final ByteBuf buffer() {
        return buffer;
    }

    /** True for HTTP/1.1, false for HTTP/1.0. */
    public final boolean http11() {
        return http11;
    }

    /** Number of field lines in the head. */
    public final int headerCount() {
        return headerCount;
    }

    public final int nameOffset(int i) {
        return fields[checkIndex(i) << 2];
    }

    public final int nameLength(int i) {
        return fields[(checkIndex(i) << 2) + 1];
    }

    /** Offset of field {@code i}'s value, leading OWS skipped. */
    public final int valueOffset(int i) {
        return fields[(checkIndex(i) << 2) + 2];
    }

    /** Length of field {@code i}'s value, leading and trailing OWS trimmed. */
    public final int valueLength(int i) {
        return fields[(checkIndex(i) << 2) + 3];
    }

    /**
     * Whether field {@code i} is hop-by-hop: one of Connection, Keep-Alive, Proxy-Connection, TE,
     * Trailer, Transfer-Encoding, Upgrade (RFC 9110 §7.6.1), or named as an option by a Connection
     * field. Host is never marked, even when a Connection field names it.
     */
    public final boolean isHopByHop(int i) {
        checkIndex(i);
        return (hopByHop[i >>> 6] & (1L << i)) != 0;
    }

    /** Index of the first field named {@code lowerCaseName} (compared ignoring case), or -1. */
    public final int indexOf(AsciiString lowerCaseName) {
        int len = lowerCaseName.length();
        for (int i = 0; i < headerCount; i++) {
            int at = i << 2;
            if (fields[at + 1] == len && HttpChars.equalsIgnoreCase(buffer, fields[at], len, lowerCaseName)) {
                return i;
            }
        }
        return -1;
    }

    /** The first value of field {@code name} (any case), or null. Allocates: for logs and tests. */
    public final String header(String name) {
        for (int i = 0; i < headerCount; i++) {
            int at = i << 2;
            if (HttpChars.equalsIgnoreCase(buffer, fields[at], fields[at + 1], name)) {
                return string(fields[at + 2], fields[at + 3]);
            }
        }
        return null;
    }

    /** Value of field {@code i} as a String (ISO-8859-1). Allocates: for logs and tests. */
    public final String headerValue(int i) {
        return string(valueOffset(i), valueLength(i));
    }

    /** Name of field {@code i} as received. Allocates: for logs and tests. */
    public final String headerName(int i) {
        return string(nameOffset(i), nameLength(i));
    }

    /** The Content-Length value, or -1 when the head has none. */
    public final long contentLength() {
        return contentLength;
    }

    /** Whether the message carries {@code Transfer-Encoding: chunked}. */
    public final boolean chunked() {
        return chunked;
    }

    /** Whether the connection may carry another message after this one (see subclasses). */
    public final boolean keepAlive() {
        return keepAlive;
    }

    final String string(int offset, int length) {
        return buffer.toString(offset, length, StandardCharsets.ISO_8859_1);
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= headerCount) {
            throw new IndexOutOfBoundsException("header index: " + i + " (expected: 0.." + (headerCount - 1) + ")");
        }
        return i;
    }

    @Override
    public final int refCnt() {
        return buffer.refCnt();
    }

    @Override
    public final HttpHead retain() {
        buffer.retain();
        return this;
    }

    @Override
    public final HttpHead retain(int increment) {
        buffer.retain(increment);
        return this;
    }

    @Override
    public final HttpHead touch() {
        buffer.touch();
        return this;
    }

    @Override
    public final HttpHead touch(Object hint) {
        buffer.touch(hint);
        return this;
    }

    /** Releases the head bytes; the offsets become meaningless afterwards. */
    @Override
    public final boolean release() {
        return buffer.release();
    }

    @Override
    public final boolean release(int decrement) {
        return buffer.release(decrement);
    }
}
