package dev.meridian.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopBufferCacheTest {

    private static final int SIZE = 256;

    private final PooledByteBufAllocator pool = PooledByteBufAllocator.DEFAULT;
    private final LoopBufferCache cache = new LoopBufferCache(pool, SIZE, 4);
    private final int loop = LoopLocal.currentSlot();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** What the peer of an {@code EmbeddedChannel} receives; releasing it is the end of the write. */
    private static String writeThrough(EmbeddedChannel ch, ByteBuf buf) {
        ch.writeAndFlush(buf);
        ByteBuf written = ch.readOutbound();
        String s = written.toString(StandardCharsets.US_ASCII);
        written.release();
        return s;
    }

    @Test
    void aBufferTheChannelHasWrittenAndReleasedIsHandedOutAgainEmpty() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ByteBuf first = cache.directBuffer(loop, 100);
        first.writeBytes(ascii("HTTP/1.1 200 OK\r\n\r\n"));
        assertThat(writeThrough(ch, first)).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(cache.cached()).isEqualTo(1);

        ByteBuf second = cache.directBuffer(loop, 100);
        assertThat(second).isSameAs(first);
        assertThat(second.refCnt()).isEqualTo(1);
        assertThat(second.readableBytes()).isZero();
        assertThat(second.capacity()).isEqualTo(SIZE);
        assertThat(cache.cached()).isZero();
        second.release();
        assertThat(second.refCnt()).isZero();
        assertThat(cache.cached()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aBufferStillQueuedForWritingIsNeverHandedOutAgain() {
        // A slow peer: the first head stays in the channel's outbound buffer until the flush.
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
        ByteBuf first = cache.directBuffer(loop, 64);
        first.writeBytes(ascii("first"));
        ch.write(first);

        for (int i = 0; i < 3; i++) {
            ByteBuf other = cache.directBuffer(loop, 64);
            assertThat(other).isNotSameAs(first);
            other.writeBytes(ascii("other"));
            other.release();
        }
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("first");
        assertThat(first.refCnt()).as("only the channel holds it").isEqualTo(1);

        ch.flush();
        ByteBuf written = ch.readOutbound();
        assertThat(written.toString(StandardCharsets.US_ASCII)).isEqualTo("first");
        written.release();
        assertThat(cache.directBuffer(loop, 64)).isSameAs(first); // last in, first out: back once released
        first.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aRetainedSliceKeepsItsBufferOffTheStack() {
        ByteBuf buf = cache.directBuffer(loop, 16);
        buf.writeBytes(ascii("body"));
        ByteBuf slice = buf.retainedSlice();
        buf.release();
        assertThat(cache.cached()).isZero();
        assertThat(cache.directBuffer(loop, 16)).isNotSameAs(buf).satisfies(ByteBuf::release);
        assertThat(slice.toString(StandardCharsets.US_ASCII)).isEqualTo("body");
        int before = cache.cached();
        slice.release();
        assertThat(cache.cached()).isEqualTo(before + 1);
    }

    @Test
    void requestsLargerThanTheSizeComeFromTheFallbackPool() {
        ByteBuf large = cache.directBuffer(loop, 4 * SIZE);
        assertThat(large).isNotInstanceOf(LoopBufferCache.CachedBuffer.class);
        assertThat(large.capacity()).isGreaterThanOrEqualTo(4 * SIZE);
        assertThat(large.isDirect()).isTrue();
        large.release();
        assertThat(cache.cached()).isZero();
    }

    @Test
    void aLoopMakesAtMostMaxCachedBuffersThenUsesThePool() {
        ByteBuf[] held = new ByteBuf[5];
        for (int i = 0; i < held.length; i++) {
            held[i] = cache.directBuffer(loop, 16);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(held[i]).isInstanceOf(LoopBufferCache.CachedBuffer.class);
        }
        assertThat(held[4]).isNotInstanceOf(LoopBufferCache.CachedBuffer.class);
        for (ByteBuf b : held) {
            b.release();
        }
        assertThat(cache.cached()).isEqualTo(4);
    }

    @Test
    void aBufferReleasedOnAnotherThreadIsFreedNotCached() throws Exception {
        ByteBuf buf = cache.directBuffer(loop, 16);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                buf.release();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        other.start();
        other.join();
        assertThat(failure.get()).isNull();
        assertThat(buf.refCnt()).isZero();
        assertThat(cache.cached()).isZero(); // the owner's stack was not touched from the other thread
        ByteBuf next = cache.directBuffer(loop, 16);
        assertThat(next).isNotSameAs(buf).isInstanceOf(LoopBufferCache.CachedBuffer.class);
        next.release();
    }

    @Test
    void aBufferThatGrewWhileWrittenIsFreedRatherThanCached() {
        ByteBuf buf = cache.directBuffer(loop, 16);
        buf.writeBytes(new byte[3 * SIZE]);
        buf.release();
        assertThat(buf.refCnt()).isZero();
        assertThat(cache.cached()).isZero();
    }

    @Test
    void aThreadWithoutALoopSlotGetsPooledBuffers() {
        ByteBuf buf = cache.directBuffer(LoopLocal.NO_SLOT, 16);
        assertThat(buf).isNotInstanceOf(LoopBufferCache.CachedBuffer.class);
        assertThat(buf.capacity()).isGreaterThanOrEqualTo(SIZE);
        buf.release();
    }

    /** Records leaks instead of logging them, whatever the logger's level. */
    private static final class RecordingLeakDetector extends ResourceLeakDetector<ByteBuf> {
        final List<String> leaks = new CopyOnWriteArrayList<>();

        RecordingLeakDetector() {
            super(ByteBuf.class, 1);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            leaks.add(resourceType);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            leaks.add(resourceType);
        }
    }

    /**
     * With Netty's paranoid leak detection, buffers that go back through the channel are never
     * reported, and one dropped without a release is (the check that the tracking is wired).
     */
    @Test
    void theParanoidLeakDetectorReportsOnlyTheBufferDroppedWithoutRelease() throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            RecordingLeakDetector detector = new RecordingLeakDetector();
            LoopBufferCache tracked = new LoopBufferCache(pool, SIZE, 4, detector);
            EmbeddedChannel ch = new EmbeddedChannel();
            for (int i = 0; i < 1000; i++) {
                ByteBuf b = tracked.directBuffer(loop, 32);
                b.writeBytes(ascii("head " + i));
                writeThrough(ch, b);
            }
            ch.finishAndReleaseAll();
            awaitLeakReports(tracked);
            assertThat(detector.leaks).isEmpty();

            dropWithoutRelease(tracked);
            for (int i = 0; i < 100 && detector.leaks.isEmpty(); i++) {
                awaitLeakReports(tracked);
            }
            assertThat(detector.leaks).isNotEmpty();
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private void dropWithoutRelease(LoopBufferCache c) {
        c.directBuffer(loop, 32).writeBytes(ascii("forgotten"));
    }

    /** Collects garbage, then tracks one more buffer: the detector reports what was collected unreleased. */
    private void awaitLeakReports(LoopBufferCache c) throws InterruptedException {
        System.gc();
        Thread.sleep(20);
        c.directBuffer(loop, 32).release();
    }
}
