package dev.meridian.bench.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

/**
 * The only handler of the harness-floor pipeline: counts each message as a "head" and releases it
 * undecoded, so the floor pays exactly the harness's share of a decoder benchmark.
 */
final class ReleasingSink extends CountingSink {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        heads++;
        ReferenceCountUtil.release(msg);
    }
}
