package dev.meridian.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReusableBufferTest {

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Test
    void theSameBufferIsTakenAgainOnceTheChannelHasWrittenAndReleasedIt() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ReusableBuffer reusable = new ReusableBuffer();

        ByteBuf first = reusable.take(alloc, 100);
        first.writeBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ch.writeAndFlush(first);
        ByteBuf written = ch.readOutbound();
        assertThat(written.toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
        written.release(); // the peer side of EmbeddedChannel hands the message out; releasing it is "written"

        ByteBuf second = reusable.take(alloc, 100);
        assertThat(second).isSameAs(first);
        assertThat(second.readableBytes()).isZero();
        second.release();
        assertThat(first.refCnt()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aBufferStillQueuedForWritingIsNeverOverwritten() {
        // A slow peer: the first head is still in the channel's outbound buffer.
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
        ReusableBuffer reusable = new ReusableBuffer();

        ByteBuf first = reusable.take(alloc, 64);
        first.writeBytes("first".getBytes(StandardCharsets.US_ASCII));
        ch.write(first); // not flushed: the channel still holds it

        ByteBuf second = reusable.take(alloc, 64);
        assertThat(second).isNotSameAs(first);
        second.writeBytes("second".getBytes(StandardCharsets.US_ASCII));
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("first");
        assertThat(first.refCnt()).as("only the channel holds the first one now").isEqualTo(1);

        second.release();
        assertThat(second.refCnt()).isZero();
        ch.finishAndReleaseAll();
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void aRequestForMoreThanTheBufferHoldsGetsALargerOne() {
        ReusableBuffer reusable = new ReusableBuffer();
        ByteBuf small = reusable.take(alloc, 16);
        small.release();
        ByteBuf large = reusable.take(alloc, 4 * ReusableBuffer.DEFAULT_CAPACITY);
        assertThat(large.capacity()).isGreaterThanOrEqualTo(4 * ReusableBuffer.DEFAULT_CAPACITY);
        // (the pool may recycle the small buffer's object for the large one: compare capacities, not identity)
        large.release();
        assertThat(large.refCnt()).isZero();
    }

    /** Heads come from the loop's cache: a buffer one connection's channel released serves another's next head. */
    @Test
    void aHeadBufferReleasedByOneConnectionServesTheNextHeadOfAnotherOnTheSameLoop() {
        LoopBufferCache cache = new LoopBufferCache(alloc, ReusableBuffer.DEFAULT_CAPACITY, 4);
        ReusableBuffer one = new ReusableBuffer(cache);
        ReusableBuffer two = new ReusableBuffer(cache);
        EmbeddedChannel ch = new EmbeddedChannel();

        ByteBuf head = one.take(alloc, 100);
        head.writeBytes("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ch.writeAndFlush(head);
        ((ByteBuf) ch.readOutbound()).release();

        ByteBuf next = two.take(alloc, 100);
        assertThat(next).isSameAs(head);
        assertThat(next.readableBytes()).isZero();
        next.release();
        ch.finishAndReleaseAll();
    }
}
