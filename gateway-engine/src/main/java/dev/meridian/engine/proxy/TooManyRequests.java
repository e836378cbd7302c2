package dev.meridian.engine.proxy;

import dev.meridian.engine.codec.HttpRequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the 429 a rate limit answers with: a generic body and {@code Retry-After} in whole
 * seconds (RFC 9110 §10.2.3; RFC 6585 §4), written straight into one pooled buffer so that the
 * responses of a flood being throttled cost no garbage.
 */
final class TooManyRequests {

    private static final byte[] HEAD = ("HTTP/1.1 429 Too Many Requests\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 18\r\n"
            + "Retry-After: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_OPEN = "\r\n\r\nToo Many Requests\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\r\nConnection: close\r\n\r\nToo Many Requests\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * The largest rest of a body we read and discard to keep a connection open after answering
     * early (429): small bodies are cheaper to drain than a reconnect; beyond this we close.
     */
    static final long MAX_DISCARD_BYTES = 64 * 1024;

    private TooManyRequests() {
    }

    /**
     * Writes the 429 for a client that must wait {@code waitNanos} and returns whether the
     * connection closes after it. It stays open when the rest of the request is small enough to
     * drain: a client made to reconnect for every 429 would cost us a handshake each time.
     */
    static boolean answer(ChannelHandlerContext ctx, HttpRequestHead head, long waitNanos, boolean draining) {
        boolean drainable = !head.chunked() && head.contentLength() <= MAX_DISCARD_BYTES;
        boolean close = !drainable || !head.keepAlive() || draining;
        ctx.writeAndFlush(encode(ctx.alloc(), retryAfterSeconds(waitNanos), close), ctx.voidPromise());
        return close;
    }

    /** Whole seconds to wait, rounded up so a client that obeys is admitted: at least 1. */
    static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /** A complete 429 response; the caller owns the buffer. */
    static ByteBuf encode(ByteBufAllocator alloc, long retryAfterSeconds, boolean close) {
        byte[] tail = close ? CLOSE : KEEP_OPEN;
        ByteBuf buf = alloc.buffer(HEAD.length + 20 + tail.length);
        buf.writeBytes(HEAD);
        writeDecimal(buf, retryAfterSeconds);
        return buf.writeBytes(tail);
    }

    private static void writeDecimal(ByteBuf buf, long value) {
        long div = 1;
        while (value / div >= 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            buf.writeByte((int) ('0' + (value / div) % 10));
        }
    }
}
