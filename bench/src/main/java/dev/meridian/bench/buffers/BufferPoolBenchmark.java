package dev.meridian.bench.buffers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures acquiring and releasing a 256-byte buffer from Netty's pooled direct allocator (what
 * the engine uses, hot-path rule 2) against two anchors: an unpooled direct buffer (allocate and
 * free native memory each time) and a heap {@code new byte[256]} (TLAB bump plus zeroing, with the
 * garbage collector paying later).
 *
 * <p>Each operation touches one byte so no variant can be reduced to a no-op. Two fork flags make
 * the JMH thread allocate the way an event loop does: {@code useCacheForAllThreads=true}, because
 * Netty 4.1 gives a per-thread pool cache only to its own {@code FastThreadLocalThread}s by default
 * and a plain JMH thread would otherwise hit the shared arena on every call; and the leak detector
 * off, because in its default mode it samples one buffer in 128 and would add its own cost to the
 * pool's (the engine's production flags decide that separately).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled",
        "-Dio.netty.allocator.useCacheForAllThreads=true"})
@State(Scope.Thread)
public class BufferPoolBenchmark {

    private static final int SIZE = 256;

    private final PooledByteBufAllocator pool = PooledByteBufAllocator.DEFAULT;

    @Benchmark
    public byte pooledDirect() {
        ByteBuf buf = pool.directBuffer(SIZE);
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
}
