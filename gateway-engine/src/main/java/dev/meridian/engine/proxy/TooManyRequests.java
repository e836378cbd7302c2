package dev.meridian.engine.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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

    private TooManyRequests() {
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
