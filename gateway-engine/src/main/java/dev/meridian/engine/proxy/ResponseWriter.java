package dev.meridian.engine.proxy;

import dev.meridian.engine.codec.ChunkedEncoder;
import dev.meridian.engine.codec.HeaderEdits;
import dev.meridian.engine.codec.Http1ResponseEncoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpResponseHead;
import dev.meridian.engine.internal.ReusableBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Writes a proxied response to the client: the re-encoded head, then the body as it arrives,
 * framed by Content-Length or re-chunked, then its end. One per {@link ProxyExchange}, reused with
 * it ({@link #reset}).
 *
 * <p>The encoded head is held back until the body's first bytes (or the response's end) so that a
 * small body is copied behind it: one buffer, one write, one plain send instead of a writev of two,
 * and no body slice kept. It is written as it is, at the latest, when the upstream read that
 * brought it completes ({@link #writePendingHead}), so holding it never delays it.
 */
final class ResponseWriter {

    /**
     * Response bodies up to this size that arrive with their head, and fit in the head's buffer
     * without growing it, are copied behind it (one write); others are forwarded as slices of the
     * bytes read (zero copy). Copying 1 KiB costs less than a second buffer's trip through the
     * outbound queue and a writev.
     */
    static final int DEFAULT_COALESCED_BODY_BYTES = 1024;

    private final ProxyConnectionHandler conn;
    private final ChannelHandlerContext ctx;

    // Per response: set by reset().
    private boolean chunked;
    /** The encoded head, held until the body's first bytes; null once written. */
    private ByteBuf pendingHead;

    ResponseWriter(ProxyConnectionHandler conn, ChannelHandlerContext ctx) {
        this.conn = conn;
        this.ctx = ctx;
    }

    void reset() {
        chunked = false;
        pendingHead = null;
    }

    /**
     * Encodes {@code response}'s head for the client: framed by its Content-Length, else chunked
     * for an HTTP/1.1 client, else by closing; with {@code Connection: close} when {@code close}
     * (or the framing needs it), and the response filters' {@code edits}. A chunked head is
     * written at once; another is held for the body's first bytes. Returns whether the client's
     * connection closes after this response.
     */
    boolean head(HttpResponseHead response, boolean http11, boolean close, HeaderEdits edits) {
        long contentLength = -1;
        if (response.noBody()) {
            // HEAD and 304 keep the origin's Content-Length: it describes the representation.
            contentLength = response.contentLength();
        } else if (response.contentLength() >= 0) {
            contentLength = response.contentLength();
        } else if (http11) {
            chunked = true;
        } else {
            // An HTTP/1.0 client cannot read chunked: delimit the body by closing (RFC 9112 §6.3).
            close = true;
        }
        // Room for a small body behind the head while both fit the loop's cached head buffers; a
        // larger body is forwarded as it came (a slice, zero copy).
        int hint = Http1ResponseEncoder.sizeHint(response, edits);
        int room = !chunked && contentLength > 0 && hint + contentLength <= ReusableBuffer.DEFAULT_CAPACITY
                ? (int) contentLength : 0;
        ByteBuf encoded = Http1ResponseEncoder.encodeHead(conn.responseHeadBuffer(hint + room),
                response, http11, contentLength, chunked, close, edits);
        if (chunked) {
            ctx.write(encoded, ctx.voidPromise());
        } else {
            pendingHead = encoded;
        }
        return close;
    }

    /** Writes (does not flush) a part of the body: behind the held head when it fits, else as it came. */
    void body(ByteBuf data) {
        ByteBuf h = pendingHead;
        if (h != null && data.readableBytes() <= DEFAULT_COALESCED_BODY_BYTES
                && data.readableBytes() <= h.maxFastWritableBytes()) {
            pendingHead = null;
            h.writeBytes(data);
            data.release();
            ctx.write(h, ctx.voidPromise());
        } else if (chunked) {
            ctx.write(ChunkedEncoder.chunkHeader(ctx.alloc(), data.readableBytes()), ctx.voidPromise());
            ctx.write(data, ctx.voidPromise());
            ctx.write(ChunkedEncoder.crlf(), ctx.voidPromise());
        } else {
            writePendingHead();
            ctx.write(data, ctx.voidPromise());
        }
    }

    /** Writes (does not flush) the response's end: the head if still held, the last chunk and trailers. */
    void end(HttpBodyEnd end) {
        writePendingHead();
        if (chunked) {
            ctx.write(ChunkedEncoder.lastChunk(ctx.alloc(), end.trailers()), ctx.voidPromise());
        }
        end.release();
    }

    /** Writes the held head, if any: the body is not in this read, or the exchange ends. */
    void writePendingHead() {
        ByteBuf h = pendingHead;
        if (h != null) {
            pendingHead = null;
            ctx.write(h, ctx.voidPromise());
        }
    }
}
