package dev.meridian.engine.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One pooled buffer that a connection encodes each message head into, taken again for the next
 * head once the channel has written and released the previous one: a pooled allocate and release
 * per head (the pool's thread cache, its recycled entry and buffer objects) become a reference
 * count read, one increment and a clear.
 *
 * <p>The buffer keeps one reference of its own. {@link #take} hands out another, which the caller
 * gives to {@code channel.write} (the channel releases it once written). The buffer is taken again
 * only when the holder's reference is the last one ({@code refCnt() == 1}): the channel is done with
 * it. While a write is still queued (a slow peer) a new buffer is allocated and the old one is
 * left to the channel, so nothing written is ever overwritten.
 *
 * <p>Confined to one event loop, like the connection that owns it. {@link #close} drops the
 * holder's reference when the connection closes.
 */
public final class ReusableBuffer {

    /** What a new buffer holds at least: a typical encoded head with room to spare. */
    public static final int DEFAULT_CAPACITY = 512;

    private ByteBuf buf;
    private boolean closed;

    /**
     * An empty buffer of at least {@code minCapacity} writable bytes (it grows if more is written),
     * with one reference for the caller to hand to {@code write}, or to release.
     */
    public ByteBuf take(ByteBufAllocator alloc, int minCapacity) {
        if (closed) {
            return alloc.directBuffer(Math.max(minCapacity, DEFAULT_CAPACITY)); // nobody would free a cached one
        }
        ByteBuf b = buf;
        if (b != null && b.refCnt() == 1 && b.capacity() >= minCapacity) {
            return b.clear().retain();
        }
        if (b != null) {
            b.release(); // still being written (the channel holds it), or too small: the channel frees it
        }
        b = alloc.directBuffer(Math.max(minCapacity, DEFAULT_CAPACITY));
        buf = b;
        return b.retain();
    }

    /**
     * Drops the holder's reference (the buffer is freed once the channel released its own); later
     * takes get a buffer of their own each.
     */
    public void close() {
        closed = true;
        ByteBuf b = buf;
        buf = null;
        if (b != null) {
            b.release();
        }
    }
}
