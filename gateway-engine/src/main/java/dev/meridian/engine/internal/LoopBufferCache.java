package dev.meridian.engine.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A per-event-loop cache of direct buffers of one size, for the short-lived buffers an event loop
 * fills and hands to {@code channel.write} (encoded message heads): an acquire pops a buffer off
 * the loop's stack, and the channel's final {@code release()} pushes it back, where Netty's pooled
 * allocator would find its thread cache, recycle a buffer object and update the chunk's counters
 * on each side (46 ns on the benchmark host against a few ns here).
 *
 * <p><b>Why a buffer is never handed out while still referenced.</b> A cached buffer goes back on
 * the stack from its own {@code deallocate()}, which Netty calls exactly once, when the reference
 * count reaches zero: whoever still holds a reference (a write still queued for a slow peer, a
 * retained slice) keeps it off the stack. Nothing polls reference counts, and the only atomic
 * operation per use is the reference count's final release, which every Netty buffer pays.
 *
 * <p><b>Threads.</b> Each loop slot ({@link LoopLocal}) owns one stack, touched with plain reads
 * and writes by its owner only. A buffer released on another thread (a channel of another loop)
 * is freed there rather than pushed, and a loop without a slot gets pooled buffers. Each loop
 * makes at most {@code maxCached} buffers of its own ({@value #DEFAULT_MAX_CACHED} × {@value
 * #DEFAULT_BUFFER_SIZE} B = 32 KiB by default); beyond that, and for requests larger than the
 * size, buffers come from the fallback allocator (Netty's pool). A cached buffer that grew past
 * its size while written is freed on release rather than cached.
 *
 * <p><b>Leaks.</b> Each buffer handed out is tracked by a Netty {@link ResourceLeakDetector}
 * (off unless {@code -Dio.netty.leakDetection.level} says otherwise), and its tracker is closed
 * when the buffer comes back: a buffer dropped without release is reported like a pooled one.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>constant</th><th>value</th><th>why</th></tr>
 *   <tr><td>DEFAULT_BUFFER_SIZE</td><td>512</td><td>{@link ReusableBuffer#DEFAULT_CAPACITY}: a
 *       typical encoded head with room to spare</td></tr>
 *   <tr><td>DEFAULT_MAX_CACHED</td><td>64</td><td>heads in flight per loop before the pool serves
 *       them: far above the one or two per request a loop writes at a time</td></tr>
 * </table>
 */
public final class LoopBufferCache {

    public static final int DEFAULT_BUFFER_SIZE = 512;
    public static final int DEFAULT_MAX_CACHED = 64;

    private static final VarHandle CREATED;

    static {
        try {
            CREATED = MethodHandles.lookup().findVarHandle(Stack.class, "created", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The engine's cache, over Netty's pooled allocator. */
    private static final LoopBufferCache SHARED = new LoopBufferCache(PooledByteBufAllocator.DEFAULT,
            DEFAULT_BUFFER_SIZE, DEFAULT_MAX_CACHED);

    private final ByteBufAllocator fallback;
    private final int size;
    private final int maxCached;
    private final ResourceLeakDetector<ByteBuf> leaks;
    private final LoopLocal<Stack> local;
    /** {@code local}'s array, indexed directly: loop slot {@code loop} at {@code loop + 1}. */
    private final Stack[] stacks;

    /** A cache of {@code size}-byte buffers, at most {@code maxCached} per loop, over {@code fallback}. */
    public LoopBufferCache(ByteBufAllocator fallback, int size, int maxCached) {
        this(fallback, size, maxCached,
                ResourceLeakDetectorFactory.instance().newResourceLeakDetector(ByteBuf.class));
    }

    LoopBufferCache(ByteBufAllocator fallback, int size, int maxCached, ResourceLeakDetector<ByteBuf> leaks) {
        if (size < 1 || maxCached < 0) {
            throw new IllegalArgumentException("size: " + size + ", maxCached: " + maxCached
                    + " (expected: size >= 1, maxCached >= 0)");
        }
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.size = size;
        // The cached buffers address their memory through Unsafe, as Netty's pool does by default;
        // without it (-Dio.netty.noUnsafe=true) every buffer comes from the fallback.
        this.maxCached = PlatformDependent.hasUnsafe() ? maxCached : 0;
        this.leaks = Objects.requireNonNull(leaks, "leaks");
        this.local = LoopLocal.create(t -> new Stack(t, this.maxCached), Stack[]::new, new Stack(null, 0));
        this.stacks = local.array();
    }

    /** The engine's cache: {@value #DEFAULT_BUFFER_SIZE}-byte buffers over Netty's pooled allocator. */
    public static LoopBufferCache shared() {
        return SHARED;
    }

    /** The size of the buffers this cache keeps. */
    public int bufferSize() {
        return size;
    }

    /** As {@link #directBuffer(int, int)} on the calling thread's loop slot. */
    public ByteBuf directBuffer(int minCapacity) {
        return directBuffer(LoopLocal.currentSlot(), minCapacity);
    }

    /**
     * An empty direct buffer of at least {@code minCapacity} bytes (it grows if more is written)
     * with one reference, which the caller hands to {@code write} or releases. {@code loop} must
     * be the calling thread's slot ({@link LoopLocal#currentSlot()}) or {@link LoopLocal#NO_SLOT}.
     */
    public ByteBuf directBuffer(int loop, int minCapacity) {
        Stack s = stacks[loop + 1];
        int n = s.count;
        // The empty sentinel (no stack yet, or NO_SLOT) has no buffers: its count is 0.
        if (n > 0 && minCapacity <= size) {
            CachedBuffer b = s.buffers[--n];
            s.buffers[n] = null;
            s.count = n;
            b.reuse(leaks);
            return b;
        }
        return miss(loop, minCapacity);
    }

    /** The stack is empty, absent or the request is too large: make a buffer of the loop's own, or use the pool. */
    private ByteBuf miss(int loop, int minCapacity) {
        if (minCapacity <= size) {
            Stack s = local.get(loop);
            if (s != null && s.created < maxCached) {
                CREATED.getAndAdd(s, 1);
                CachedBuffer b = new CachedBuffer(this, s, loop);
                b.leak = leaks.track(b);
                return b;
            }
        }
        return fallback.directBuffer(Math.max(minCapacity, size));
    }

    /** Buffers the calling thread's loop has on its stack now; for tests and stats. */
    public int cached() {
        Stack s = local.get();
        return s == null ? 0 : s.count;
    }

    /** A buffer's final release: back on its loop's stack if that loop releases it, else freed. */
    void recycle(CachedBuffer b) {
        ResourceLeakTracker<ByteBuf> leak = b.leak;
        if (leak != null) {
            b.leak = null;
            leak.close(b);
        }
        Stack s = b.home;
        // isCurrent: the slot's owner now, also after a replaced loop took the slot over.
        if (b.capacity() == size && LoopLocal.isCurrent(b.loop)) {
            int n = s.count;
            if (n < s.buffers.length) {
                s.buffers[n] = b;
                s.count = n + 1;
                return;
            }
        }
        CREATED.getAndAdd(s, -1); // rare (grown, or released on another loop): the loop may make another
        b.free();
    }

    /** One loop's free buffers; {@code buffers} and {@code count} are its owner's alone. */
    static final class Stack extends LoopLocal.Slot {
        final CachedBuffer[] buffers;
        int count;
        /** Buffers made for this loop and not freed; updated atomically (rarely: make and free). */
        volatile int created;

        Stack(Thread creator, int capacity) {
            super(creator);
            this.buffers = new CachedBuffer[capacity];
        }
    }

    /** A direct buffer whose final release returns it to its loop's stack instead of freeing it. */
    static final class CachedBuffer extends UnpooledUnsafeDirectByteBuf {
        private final LoopBufferCache cache;
        final Stack home;
        final int loop;
        ResourceLeakTracker<ByteBuf> leak;

        CachedBuffer(LoopBufferCache cache, Stack home, int loop) {
            super(cache.fallback, cache.size, Integer.MAX_VALUE);
            this.cache = cache;
            this.home = home;
            this.loop = loop;
        }

        /** Back in use: one reference (an ordered store, no atomic), empty, marks cleared. */
        void reuse(ResourceLeakDetector<ByteBuf> leaks) {
            resetRefCnt();
            clear();
            markReaderIndex();
            markWriterIndex();
            leak = leaks.track(this);
        }

        @Override
        protected void deallocate() {
            cache.recycle(this);
        }

        void free() {
            super.deallocate();
        }
    }
}
