package dev.meridian.engine.proxy;

import dev.meridian.engine.codec.ChunkedEncoder;
import dev.meridian.engine.codec.HeaderEdits;
import dev.meridian.engine.codec.Http1RequestEncoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a proxied request to the origin: the re-encoded head, then the body as it arrives,
 * re-chunked when it came chunked, then its end; parts read while the connection is still being
 * made are held and written after the head. One per {@link ProxyExchange}, reused with it
 * ({@link #reset}); the exchange owns the upstream connection and hands it to each call.
 */
final class RequestWriter {

    private final ByteBufAllocator alloc;

    // Per request: set by reset().
    private HttpRequestHead head;
    /** Body parts (and the end) read before the upstream connection was there, in order; or null. */
    private HeldParts held;
    /** Part of the body went upstream: the request cannot be sent again (no retry). */
    private boolean bodyStarted;
    /** The whole request went upstream, end included. */
    private boolean forwarded;

    RequestWriter(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    void reset(HttpRequestHead head) {
        this.head = head;
        held = null;
        bodyStarted = false;
        forwarded = false;
    }

    /**
     * Encodes the head as the origin gets it ({@code host}, the client's address in X-Forwarded-*,
     * the normalized path, the request filters' {@code edits}), sends it on {@code upstream}, then
     * the parts held meanwhile. The caller flushes.
     */
    void head(UpstreamConnection upstream, byte[] clientIp, byte[] host, byte[] normalizedPath, HeaderEdits edits) {
        ByteBuf encoded = Http1RequestEncoder.encodeHead(
                upstream.headBuffer(Http1RequestEncoder.sizeHint(head, clientIp, host, normalizedPath, edits)),
                head, clientIp, false, head.contentLength(), head.chunked(), host, normalizedPath, edits);
        upstream.sendHead(encoded, head.isHeadMethod());
        for (Object part; held != null && (part = held.poll()) != null; ) {
            if (part instanceof ByteBuf data) {
                body(upstream, data);
            } else {
                end(upstream, (HttpBodyEnd) part);
            }
        }
    }

    /** Keeps a body part or the end read before there is a connection to write it to. */
    void hold(Object part) {
        held = HeldParts.add(held, part);
    }

    /** Writes (does not flush) a part of the body. */
    void body(UpstreamConnection upstream, ByteBuf data) {
        bodyStarted = true;
        if (head.chunked()) {
            // Re-frame rather than relay the client's chunk lines: what the origin parses is what we parsed.
            upstream.write(ChunkedEncoder.chunkHeader(alloc, data.readableBytes()));
            upstream.write(data);
            upstream.write(ChunkedEncoder.crlf());
        } else {
            upstream.write(data);
        }
    }

    /** Writes (does not flush) the request's end: the last chunk and trailers when chunked. */
    void end(UpstreamConnection upstream, HttpBodyEnd end) {
        if (head.chunked()) {
            upstream.write(ChunkedEncoder.lastChunk(alloc, end.trailers()));
        }
        end.release();
        forwarded = true;
    }

    /** The request ended before it went upstream: what was held is dropped. */
    void releaseHeld() {
        HeldParts.releaseAll(held);
        held = null;
    }

    boolean bodyStarted() {
        return bodyStarted;
    }

    boolean forwarded() {
        return forwarded;
    }
}
