package dev.meridian.engine.limit;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The coarse clock of one event loop: it reads {@link System#nanoTime()} at most once per loop
 * iteration and hands every caller in that iteration the same timestamp, the way nginx caches its
 * time after each {@code epoll_wait}.
 *
 * <p>The first read in an iteration takes the time and queues a task that marks it stale; Netty
 * runs that task in the task phase of the same iteration (an in-loop {@code execute} does not wake
 * the selector), so the I/O of the next iteration reads a fresh time. A timestamp is therefore at
 * most one iteration old, which is far below the resolution any limit here needs (a token every
 * millisecond at 1,000 requests/s), while a token-bucket check costs a field read instead of a
 * clock call.
 *
 * <p>Confined to its event loop: call {@link #read()} only from that loop's thread.
 */
public final class LoopClock implements Ticker {

    private final EventExecutor loop;
    private final Runnable expire = this::expire;
    private long now;
    private boolean fresh;

    public LoopClock(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public long read() {
        if (!fresh) {
            now = System.nanoTime();
            fresh = true;
            try {
                loop.execute(expire);
            } catch (RejectedExecutionException e) {
                fresh = false; // the loop is shutting down: fall back to a clock call per read
            }
        }
        return now;
    }

    private void expire() {
        fresh = false;
    }
}
