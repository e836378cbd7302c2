package dev.meridian.fuzz;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.Http1ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCounted;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a decoder over fuzzer bytes in an {@link EmbeddedChannel} and proves, after every run, that
 * every buffer it touched (inputs, cumulations, heads, bodies, trailers) was released.
 *
 * <p>Every buffer comes from a tracking allocator, so a leaked cumulation shows up as a buffer
 * whose refCnt is not 0 after the channel closes, not as a slow leak report in production.
 */
final class DecoderHarness {

    /** An allocator that remembers every buffer it hands out. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> allocated = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(b);
            return b;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    final TrackingAllocator alloc = new TrackingAllocator();
    final EmbeddedChannel channel;
    /** Everything the decoder fired, in order; the harness releases it in {@link #closeAndCheck}. */
    final List<Object> messages = new ArrayList<>();

    private DecoderHarness(ChannelHandler decoder) {
        channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(decoder);
    }

    static DecoderHarness request(Http1RequestDecoder decoder) {
        return new DecoderHarness(decoder);
    }

    static DecoderHarness response(Http1ResponseDecoder decoder) {
        return new DecoderHarness(decoder);
    }

    /** Writes {@code data[from, to)} as one read, in a buffer of the tracking allocator. */
    void write(byte[] data, int from, int to) {
        if (to <= from) {
            return;
        }
        ByteBuf b = alloc.buffer(to - from);
        b.writeBytes(data, from, to - from);
        channel.writeInbound(b);
        drain();
    }

    /** Writes {@code data} in reads of at most {@code step} bytes. */
    void writeInSteps(byte[] data, int step) {
        for (int i = 0; i < data.length; i += step) {
            write(data, i, Math.min(data.length, i + step));
        }
    }

    void drain() {
        for (Object m; (m = channel.readInbound()) != null; ) {
            messages.add(m);
        }
    }

    /** Closes the channel, releases what was fired and fails when any buffer is still referenced. */
    void closeAndCheck() {
        channel.finish();
        drain();
        for (Object m : messages) {
            if (m instanceof ReferenceCounted rc && rc.refCnt() > 0 && !(m instanceof dev.meridian.engine.codec.HttpBodyEnd e && e.trailers() == null)) {
                rc.release();
            }
        }
        channel.finishAndReleaseAll();
        for (ByteBuf b : alloc.allocated) {
            if (b.refCnt() != 0) {
                throw new IllegalStateException("leaked buffer: refCnt " + b.refCnt() + ", " + b.capacity() + " bytes");
            }
        }
    }

    ByteBufAllocator allocator() {
        return alloc;
    }
}
