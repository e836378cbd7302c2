package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;

/** Decodes heads from raw bytes so encoder tests start from what a real peer sent. */
final class EncoderTestSupport {

    private EncoderTestSupport() {
    }

    static HttpRequestHead requestHead(String raw) {
        EmbeddedChannel ch = new EmbeddedChannel(new Http1RequestDecoder());
        ch.writeInbound(bytes(raw));
        List<Object> out = CodecTestSupport.drain(ch);
        assertThat(out.get(0)).isInstanceOf(HttpRequestHead.class);
        CodecTestSupport.releaseAll(out.subList(1, out.size()));
        ch.finishAndReleaseAll();
        return (HttpRequestHead) out.get(0);
    }

    static HttpResponseHead responseHead(String raw, boolean toHead) {
        Http1ResponseDecoder decoder = new Http1ResponseDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.expectResponse(toHead);
        ch.writeInbound(bytes(raw));
        List<Object> out = CodecTestSupport.drain(ch);
        assertThat(out.get(0)).isInstanceOf(HttpResponseHead.class);
        CodecTestSupport.releaseAll(out.subList(1, out.size()));
        ch.finishAndReleaseAll();
        return (HttpResponseHead) out.get(0);
    }
}
