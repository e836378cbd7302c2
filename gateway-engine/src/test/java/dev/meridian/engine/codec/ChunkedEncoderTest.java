package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.bytes;
import static dev.meridian.engine.codec.CodecTestSupport.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkedEncoderTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private static String consume(ByteBuf buf) {
        String s = string(buf);
        buf.release();
        return s;
    }

    @Test
    void chunkHeaderIsLowerCaseHexAndCrlf() {
        assertThat(consume(ChunkedEncoder.chunkHeader(ALLOC, 1))).isEqualTo("1\r\n");
        assertThat(consume(ChunkedEncoder.chunkHeader(ALLOC, 255))).isEqualTo("ff\r\n");
        assertThat(consume(ChunkedEncoder.chunkHeader(ALLOC, 4096))).isEqualTo("1000\r\n");
        assertThat(consume(ChunkedEncoder.chunkHeader(ALLOC, Integer.MAX_VALUE))).isEqualTo("7fffffff\r\n");
    }

    @Test
    void refusesAnEmptyChunkThatWouldEndTheBody() {
        assertThatThrownBy(() -> ChunkedEncoder.chunkHeader(ALLOC, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void crlfCanBeWrittenRepeatedlyAndReleasedHarmlessly() {
        ByteBuf a = ChunkedEncoder.crlf();
        ByteBuf b = ChunkedEncoder.crlf();
        a.skipBytes(2);
        assertThat(string(b)).isEqualTo("\r\n");
        a.release();
        b.release();
        b.release();
        assertThat(string(ChunkedEncoder.crlf())).isEqualTo("\r\n");
        assertThat(ChunkedEncoder.crlf().isReadOnly()).isTrue();
    }

    @Test
    void lastChunkCarriesTrailersWithoutConsumingThem() {
        ByteBuf trailers = bytes("Expires: never\r\nX-Sum: 1\r\n");
        assertThat(consume(ChunkedEncoder.lastChunk(ALLOC, trailers))).isEqualTo("0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n");
        assertThat(trailers.readableBytes()).isEqualTo(26);
        assertThat(trailers.refCnt()).isEqualTo(1);
        trailers.release();
        assertThat(consume(ChunkedEncoder.lastChunk(ALLOC, null))).isEqualTo("0\r\n\r\n");
    }

    @Test
    void encodedChunksDecodeBackToTheSameBodyAndTrailers() {
        Http1ResponseDecoder decoder = new Http1ResponseDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.expectResponse(false);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        for (String part : new String[] {"hello ", "chunked ", "world"}) {
            ch.writeInbound(ChunkedEncoder.chunkHeader(ALLOC, part.length()), bytes(part), ChunkedEncoder.crlf());
        }
        ByteBuf trailers = bytes("X-Sum: 42\r\n");
        ch.writeInbound(ChunkedEncoder.lastChunk(ALLOC, trailers));
        trailers.release();
        List<Object> out = CodecTestSupport.drain(ch);
        assertThat(CodecTestSupport.shape(out)).containsExactly("HttpResponseHead", "body", "HttpBodyEnd");
        HttpBodyEnd end = (HttpBodyEnd) out.get(out.size() - 1);
        assertThat(string(end.trailers())).isEqualTo("X-Sum: 42\r\n");
        end.release();
        ((HttpResponseHead) out.get(0)).release();
        assertThat(CodecTestSupport.body(out)).isEqualTo("hello chunked world");
        ch.finishAndReleaseAll();
    }
}
