package dev.meridian.engine.proxy;

import io.netty.util.ReferenceCountUtil;
import java.util.Arrays;

/**
 * The request body parts (buffers and the end marker) that arrive while no upstream connection
 * is ready yet (connecting, or a filter waiting), held in arrival order until it is.
 *
 * <p>A small inline array rather than a deque (one of the reference design's measured wins):
 * reading stops once a part is held, so there are rarely more than a couple.
 */
final class HeldParts {

    private Object[] parts = new Object[4];
    private int head;
    private int tail;

    private HeldParts() {
    }

    /** Appends {@code part} to {@code held}, creating it on first use; returns the holder. */
    static HeldParts add(HeldParts held, Object part) {
        HeldParts h = held != null ? held : new HeldParts();
        if (h.tail == h.parts.length) {
            h.parts = Arrays.copyOf(h.parts, h.parts.length * 2);
        }
        h.parts[h.tail++] = part;
        return h;
    }

    /** The oldest part not yet taken, or null. */
    Object poll() {
        if (head == tail) {
            return null;
        }
        Object part = parts[head];
        parts[head++] = null;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return part;
    }

    /** Releases every part still held (the exchange ended without forwarding them); null-safe. */
    static void releaseAll(HeldParts held) {
        if (held != null) {
            for (Object part; (part = held.poll()) != null; ) {
                ReferenceCountUtil.release(part);
            }
        }
    }
}
