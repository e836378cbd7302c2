package dev.meridian.bench.buffers;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A JMH worker executor ({@code -Djmh.executor=CUSTOM}) whose threads are Netty
 * {@code FastThreadLocalThread}s, as event loops are, so a benchmark measures Netty's per-thread
 * fast paths (pool cache, recycler) the way the engine's requests hit them.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {

    /** The constructor JMH calls: worker count and thread-name prefix. */
    public EventLoopThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
