package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Builds the framing around chunked body data (RFC 9112 §7.1): write {@code chunkHeader(n)}, the
 * n data bytes, then {@link #crlf()}; end the body with {@link #lastChunk}.
 */
public final class ChunkedEncoder {

    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeByte('\r').writeByte('\n').asReadOnly());

    private static final byte[] LAST_CHUNK = Http1RequestEncoder.ascii("0\r\n");

    private ChunkedEncoder() {
    }

    /**
     * {@code size} in lower-case hex followed by CRLF, in a new buffer.
     *
     * @throws IllegalArgumentException when {@code size <= 0}: a zero-size chunk would end the body,
     *     so an empty data buffer must be skipped rather than framed
     */
    public static ByteBuf chunkHeader(ByteBufAllocator alloc, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: > 0)");
        }
        ByteBuf out = alloc.buffer(10);
        HttpChars.writeHex(out, size);
        out.writeByte('\r').writeByte('\n');
        return out;
    }

    /**
     * CRLF that ends the data of a chunk. Returns a fresh read-only duplicate of one shared,
     * unreleasable buffer: each call has its own reader index, so the result can be written to
     * any channel, any number of times concurrently, and releasing it is a harmless no-op.
     */
    public static ByteBuf crlf() {
        return CRLF.duplicate();
    }

    /**
     * {@code 0 CRLF}, the trailer field lines, then the CRLF that ends the body. The trailers
     * (as {@link HttpBodyEnd#trailers()} delivers them: field lines each ending CRLF) are copied;
     * their indices and reference count are left untouched.
     */
    public static ByteBuf lastChunk(ByteBufAllocator alloc, ByteBuf trailersOrNull) {
        int trailerBytes = trailersOrNull == null ? 0 : trailersOrNull.readableBytes();
        ByteBuf out = alloc.buffer(5 + trailerBytes);
        out.writeBytes(LAST_CHUNK);
        if (trailerBytes > 0) {
            out.writeBytes(trailersOrNull, trailersOrNull.readerIndex(), trailerBytes);
        }
        out.writeByte('\r').writeByte('\n');
        return out;
    }
}
