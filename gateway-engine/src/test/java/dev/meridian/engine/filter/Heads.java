package dev.meridian.engine.filter;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.Http1ResponseDecoder;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.HttpResponseHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/** Decoded heads for filter tests, produced by the real decoders. */
final class Heads {

    private Heads() {
    }

    static HttpRequestHead request(String raw) {
        EmbeddedChannel ch = new EmbeddedChannel(new Http1RequestDecoder());
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        HttpRequestHead head = ch.readInbound();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
        return head;
    }

    static HttpResponseHead response(String raw) {
        Http1ResponseDecoder decoder = new Http1ResponseDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.expectResponse(false);
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        HttpResponseHead head = ch.readInbound();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
        return head;
    }
}
