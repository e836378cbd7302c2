package dev.meridian.bench.buffers;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link BufferPoolBenchmark} on plain JMH threads with {@code useCacheForAllThreads=true}: the
 * suite's earlier set-up, kept to show what the event-loop thread type is worth.
 */
@Fork(value = 2, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled",
        "-Dio.netty.allocator.useCacheForAllThreads=true"})
public class BufferPoolPlainThreadBenchmark extends BufferPoolBenchmark {

    @Override
    boolean expectsEventLoopThread() {
        return false;
    }
}
