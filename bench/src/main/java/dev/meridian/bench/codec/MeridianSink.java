package dev.meridian.bench.codec;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;
import dev.meridian.engine.codec.HttpRequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of the benchmark pipeline behind {@link Http1RequestDecoder}: counts and releases what
 * the decoder emits and resumes it after each request, as the proxy does when an exchange ends.
 *
 * <p>It reads the path length from each head so the consumer does what a router needs (an offset
 * lookup), no more; Netty's sink likewise only counts what it is handed.
 */
final class MeridianSink extends CountingSink {

    private final Http1RequestDecoder decoder;

    MeridianSink(Http1RequestDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequestHead head) {
            heads++;
            pathBytes += head.pathLength();
            head.release();
        } else if (msg instanceof ByteBuf data) {
            bodyBytes += data.readableBytes();
            data.release();
        } else if (msg instanceof HttpBodyEnd end) {
            end.release();
            decoder.resume();
        } else {
            if (msg instanceof HttpDecodeError) {
                error = msg;
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
