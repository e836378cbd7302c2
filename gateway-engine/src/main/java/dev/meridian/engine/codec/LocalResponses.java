package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Complete responses the proxy writes itself (errors, 100 Continue), pre-encoded so that sending
 * one is a single copy.
 *
 * <p>Bodies are only the standard reason phrase and a newline: never a cluster name, an address,
 * a stack trace or breaker state (ARCHITECTURE.md, "fail closed and quietly").
 */
public final class LocalResponses {

    /** Statuses whose bytes are built at class load; others are built on demand. */
    static final int[] PRECOMPUTED = {400, 404, 405, 408, 413, 414, 417, 429, 431, 500, 501, 502, 503, 504, 505};

    private static final byte[][] KEEP_OPEN = new byte[600][];
    private static final byte[][] CLOSE = new byte[600][];

    private static final ByteBuf CONTINUE = Unpooled.unreleasableBuffer(Unpooled.directBuffer(25)
            .writeBytes("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    static {
        for (int status : PRECOMPUTED) {
            KEEP_OPEN[status] = build(status, false);
            CLOSE[status] = build(status, true);
        }
    }

    private LocalResponses() {
    }

    /**
     * A full HTTP/1.1 response with status {@code status}, {@code Content-Type: text/plain;
     * charset=utf-8}, its Content-Length, {@code Connection: close} when {@code close}, and the
     * reason phrase plus "\n" as body.
     *
     * @param status 100..599; the precomputed ones cost one copy, others are built each time
     * @return a new buffer from {@code alloc}, owned by the caller
     */
    public static ByteBuf error(ByteBufAllocator alloc, int status, boolean close) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
        byte[] bytes = (close ? CLOSE : KEEP_OPEN)[status];
        if (bytes == null) {
            bytes = build(status, close);
        }
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /**
     * {@code HTTP/1.1 100 Continue\r\n\r\n}, for a client that sent {@code Expect: 100-continue}.
     * Returns a fresh read-only duplicate of a shared unreleasable buffer: safe to write anywhere,
     * releasing it is a no-op.
     */
    public static ByteBuf continue100() {
        return CONTINUE.duplicate();
    }

    private static byte[] build(int status, boolean close) {
        String reason = new String(HttpStatusReasons.phrase(status), StandardCharsets.US_ASCII);
        String body = reason.isEmpty() ? "" : reason + "\n";
        // RFC 9112 §4: the SP after the code is required even when the reason is empty.
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }
}
