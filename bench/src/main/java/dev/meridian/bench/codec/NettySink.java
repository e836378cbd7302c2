package dev.meridian.bench.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of the benchmark pipeline behind Netty's {@code HttpRequestDecoder}: counts and releases
 * what it emits and remembers the first failed {@link DecoderResult}.
 */
final class NettySink extends CountingSink {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
            error = object.decoderResult();
        }
        if (msg instanceof HttpRequest request) {
            heads++;
            pathBytes += request.uri().length();
        }
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
        }
        ReferenceCountUtil.release(msg);
    }
}
