package dev.meridian.bench.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The last handler of a decoder benchmark's pipeline: counts what a decoder emits, releases it,
 * and keeps the first decode error so a run that benchmarks an error path fails instead.
 */
abstract class CountingSink extends ChannelInboundHandlerAdapter {

    long heads;
    long bodyBytes;
    long pathBytes;
    Object error;

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        // Swallowed: the embedded channel's tail has nothing to do with it.
    }

    /** Throws unless the decoder has emitted nothing but well-formed messages so far. */
    final void assertNoError() {
        if (error != null) {
            throw new IllegalStateException(getClass().getSimpleName() + " saw a decode error: " + error);
        }
    }
}
