package dev.meridian.bench.codec;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.Http1RequestEncoder;
import dev.meridian.engine.codec.HttpRequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures encoding the upstream request head for the 486-byte browser head, as the proxy does for
 * each request: {@link Http1RequestEncoder#encodeHead} from the decoded {@link HttpRequestHead}
 * into a reused pooled buffer (the connection's head buffer), dropping the hop-by-hop Connection
 * field and adding X-Forwarded-For / -Proto / -Host.
 *
 * <p>The anchor is Netty's {@link HttpRequestEncoder} encoding a request that already holds the
 * same fields Meridian writes (its {@code encode} called directly, as its pipeline write would,
 * into the pooled buffer it allocates per message, released each operation). The anchor does not
 * pay for building or editing its header map, so it is the cheaper of the two tasks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled",
        "-Dio.netty.allocator.useCacheForAllThreads=true"})
@State(Scope.Thread)
public class RequestEncoderBenchmark {

    private static final byte[] CLIENT_IP = "203.0.113.7".getBytes(StandardCharsets.US_ASCII);

    private HttpRequestHead head;
    private ByteBuf out;
    private NettyEncoder nettyEncoder;
    private ChannelHandlerContext nettyCtx;
    private EmbeddedChannel nettyChannel;
    private FullHttpRequest nettyRequest;
    private final List<Object> nettyOut = new ArrayList<>(2);

    /** Exposes {@code HttpRequestEncoder.encode}, which its pipeline write calls. */
    static final class NettyEncoder extends HttpRequestEncoder {
        void encodeInto(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            encode(ctx, msg, out);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        EmbeddedChannel decoder = new EmbeddedChannel(new Http1RequestDecoder());
        decoder.writeInbound(Unpooled.wrappedBuffer(RequestSamples.browserHead()));
        head = (HttpRequestHead) decoder.readInbound();
        Object end = decoder.readInbound();
        ReferenceCountUtil.release(end);
        decoder.finishAndReleaseAll();
        out = PooledByteBufAllocator.DEFAULT.directBuffer(
                Http1RequestEncoder.sizeHint(head, CLIENT_IP, null, null, null));

        nettyEncoder = new NettyEncoder();
        nettyChannel = new EmbeddedChannel(nettyEncoder);
        nettyCtx = nettyChannel.pipeline().context(nettyEncoder);
        nettyRequest = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, head.target(),
                Unpooled.EMPTY_BUFFER);
        // The fields Meridian's encoder writes for this head, in its order.
        String encoded = encodeMeridian().toString(StandardCharsets.US_ASCII);
        String[] lines = encoded.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            nettyRequest.headers().add(lines[i].substring(0, colon), lines[i].substring(colon + 2));
        }
        ByteBuf nettyBytes = encodeNetty();
        String nettyEncoded = nettyBytes.toString(StandardCharsets.US_ASCII);
        nettyBytes.release();
        if (!nettyEncoded.equals(encoded)) {
            throw new IllegalStateException("the anchor writes other bytes:\n" + nettyEncoded + "\n---\n" + encoded);
        }
    }

    private ByteBuf encodeMeridian() {
        out.clear();
        return Http1RequestEncoder.encodeHead(out, head, CLIENT_IP, false, -1, false, null, null, null);
    }

    private ByteBuf encodeNetty() {
        try {
            nettyEncoder.encodeInto(nettyCtx, nettyRequest, nettyOut);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ByteBuf encoded = (ByteBuf) nettyOut.get(0);
        nettyOut.clear();
        return encoded;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        head.release();
        out.release();
        nettyChannel.finishAndReleaseAll();
    }

    @Benchmark
    public int browserHead486Meridian() {
        return encodeMeridian().writerIndex();
    }

    @Benchmark
    public int browserHead486AnchorNetty() {
        ByteBuf encoded = encodeNetty();
        int n = encoded.writerIndex();
        encoded.release();
        return n;
    }
}
