package dev.meridian.engine.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Where a connection takes the buffer it encodes each message head into: a buffer of its event
 * loop's {@link LoopBufferCache}, which the channel's release after the write puts back for the
 * loop's next head, whichever connection of the loop encodes it.
 *
 * <p>This replaced one pooled buffer kept per connection and taken again once its reference
 * count showed the channel was done with it: a volatile read and an atomic retain per head on top
 * of the channel's release, and 512 B of pooled memory held by every open connection, idle or
 * not. The loop's cache pays the channel's release alone and holds a few buffers per loop. A
 * buffer still queued for a slow peer is not on the stack (its reference count is not zero), so
 * nothing written is ever overwritten; a head larger than the cache's buffers gets a buffer of
 * its own from the channel's allocator.
 *
 * <p>Confined to one event loop, like the connection that owns it.
 */
public final class ReusableBuffer {

    /** What a new buffer holds at least: a typical encoded head with room to spare. */
    public static final int DEFAULT_CAPACITY = 512;

    private final LoopBufferCache cache;

    /** Heads from the engine's {@linkplain LoopBufferCache#shared() shared} loop cache. */
    public ReusableBuffer() {
        this(LoopBufferCache.shared());
    }

    ReusableBuffer(LoopBufferCache cache) {
        this.cache = cache;
    }

    /**
     * An empty buffer of at least {@code minCapacity} writable bytes (it grows if more is written),
     * with one reference for the caller to hand to {@code write}, or to release.
     */
    public ByteBuf take(ByteBufAllocator alloc, int minCapacity) {
        if (minCapacity <= cache.bufferSize()) {
            return cache.directBuffer(minCapacity);
        }
        return alloc.directBuffer(Math.max(minCapacity, DEFAULT_CAPACITY));
    }
}
