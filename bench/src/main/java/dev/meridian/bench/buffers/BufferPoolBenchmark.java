package dev.meridian.bench.buffers;

import dev.meridian.engine.internal.LoopLocal;
import dev.meridian.engine.internal.LoopBufferCache;
import dev.meridian.engine.internal.ReusableBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures acquiring and releasing a 256-byte buffer from Netty's pooled direct allocator
 * ({@code PooledByteBufAllocator.DEFAULT}, what the engine uses, hot-path rule 2) on the kind of
 * thread the engine runs it on — a Netty {@code FastThreadLocalThread}, like an event loop, via
 * {@link EventLoopThreadExecutor} — against two anchors: an unpooled direct buffer (allocate and
 * free native memory each time) and a heap {@code new byte[256]} (TLAB bump plus zeroing, with
 * the garbage collector paying later).
 *
 * <p>On such a thread Netty gives the allocator its per-thread cache and the recycler its
 * indexed thread-local without any flag; {@link BufferPoolPlainThreadBenchmark} runs the same
 * operations on plain JMH threads with {@code useCacheForAllThreads=true}, which is what this
 * suite measured before (the cache is there, but every look-up goes through a
 * {@code java.lang.ThreadLocal}). Each operation touches one byte so no variant can be reduced
 * to a no-op. The leak detector is off, because in its default mode it samples one buffer in 128
 * and would add its own cost to the pool's (the engine's production flags decide that separately).
 *
 * <p>{@code loopCache}: the engine's {@link LoopBufferCache} (512-byte buffers, asked for 256), an
 * acquire that pops the loop's stack and a release whose final reference count update pushes the
 * buffer back; the pool stays the anchor. The {@code *Batch} variants make {@value #BATCH}
 * acquire + release pairs per invocation ({@code @OperationsPerInvocation}), so the ~1 ns a JMH
 * invocation costs by itself is not part of the figure. {@code reusableBufferHead} is what a
 * connection pays per encoded head: {@code ReusableBuffer.take}, a write, and the release the
 * channel makes once the head is written.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.meridian.bench.buffers.EventLoopThreadExecutor"})
@State(Scope.Thread)
public class BufferPoolBenchmark {

    private static final int SIZE = 256;
    /** Acquire + release pairs per invocation in the {@code *Batch} variants. */
    static final int BATCH = 100;

    private final PooledByteBufAllocator pool = PooledByteBufAllocator.DEFAULT;
    /** Netty 4.1's newer allocator ({@code io.netty.allocator.type=adaptive}), for comparison. */
    private final AdaptiveByteBufAllocator adaptive = new AdaptiveByteBufAllocator();
    private final LoopBufferCache cache = LoopBufferCache.shared();
    /** One connection's head buffer source, as the proxy's connection handlers hold one. */
    private final ReusableBuffer heads = new ReusableBuffer();
    /** The JMH thread's loop slot, found once as the proxy finds it once per request. */
    private int loop;

    /** Fails the run rather than publish a figure for the wrong kind of thread. */
    @Setup
    public void checkThread() {
        boolean fast = Thread.currentThread() instanceof FastThreadLocalThread;
        if (fast != expectsEventLoopThread()) {
            throw new IllegalStateException("benchmark thread " + Thread.currentThread() + " is not the intended kind");
        }
        loop = LoopLocal.currentSlot();
        cache.directBuffer(loop, SIZE).release();
        if (cache.cached() == 0) {
            throw new IllegalStateException("the loop buffer cache did not serve the benchmark thread");
        }
    }

    boolean expectsEventLoopThread() {
        return true;
    }

    @Benchmark
    public byte pooledDirect() {
        ByteBuf buf = pool.directBuffer(SIZE);
        buf.writeByte(1);
        byte b = buf.getByte(0);
        buf.release();
        return b;
    }

    /** Not the engine's allocator: what switching to the adaptive one would cost here. */
    @Benchmark
    public byte adaptiveDirect() {
        ByteBuf buf = adaptive.directBuffer(SIZE);
        buf.writeByte(1);
        byte b = buf.getByte(0);
        buf.release();
        return b;
    }

    @Benchmark
    public byte anchorUnpooledDirect() {
        ByteBuf buf = Unpooled.directBuffer(SIZE);
        buf.writeByte(1);
        byte b = buf.getByte(0);
        buf.release();
        return b;
    }

    /** Returned, not just touched: escape keeps the JIT from scalar-replacing the array away. */
    @Benchmark
    public byte[] anchorHeapArray() {
        byte[] bytes = new byte[SIZE];
        bytes[0] = 1;
        return bytes;
    }

    /** The engine's per-loop cache: pop the loop's stack; the final release pushes the buffer back. */
    @Benchmark
    public byte loopCache() {
        ByteBuf buf = cache.directBuffer(loop, SIZE);
        buf.writeByte(1);
        byte b = buf.getByte(0);
        buf.release();
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int loopCacheBatch() {
        LoopBufferCache c = cache;
        int slot = loop;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            ByteBuf buf = c.directBuffer(slot, SIZE);
            buf.writeByte(k);
            x ^= buf.getByte(0);
            buf.release();
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pooledDirectBatch() {
        PooledByteBufAllocator p = pool;
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            ByteBuf buf = p.directBuffer(SIZE);
            buf.writeByte(k);
            x ^= buf.getByte(0);
            buf.release();
        }
        return x;
    }

    /** A connection's head buffer: take, write, and the channel's release after the write. */
    @Benchmark
    public byte reusableBufferHead() {
        ByteBuf buf = heads.take(pool, SIZE);
        buf.writeByte(1);
        byte b = buf.getByte(0);
        buf.release();
        return b;
    }
}
