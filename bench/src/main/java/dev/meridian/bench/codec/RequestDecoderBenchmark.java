package dev.meridian.bench.codec;

import dev.meridian.engine.codec.Http1RequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
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
 * Measures decoding one whole request with Meridian's {@link Http1RequestDecoder} against the
 * anchor, Netty's {@link HttpRequestDecoder}, in the same harness: the 486-byte browser head, a
 * 20-field API head, and a POST with a 64 KiB body in 8 KiB chunks. GB/s = input bytes / ns per op.
 *
 * <p>The harness is the same for both and as thin as Netty allows: one {@link EmbeddedChannel} per
 * decoder, reused for every operation; each operation fires one pooled direct buffer (retained,
 * readerIndex reset to 0) into the pipeline, followed by channelReadComplete, as one socket read
 * would, and a {@link CountingSink} releases every output. {@code EmbeddedChannel.writeInbound} is avoided: its
 * inbound queue and task running would be measured on both sides and blur the difference. Each
 * input arrives in one read; Netty's decoder emits its default 8 KiB content pieces, ours one
 * slice per chunk.
 *
 * <p>The fork flags are {@link dev.meridian.bench.buffers.BufferPoolBenchmark}'s: a per-thread pool
 * cache as an event loop has, and no leak detector. {@code harnessFloor} fires the same buffer into
 * a pipeline holding only a releasing sink: subtract it to see the decoders alone.
 *
 * <p>What each decoder emits differs by design and is part of what is measured: Netty builds a
 * request object with String method, URI and a header map; Meridian emits offsets over the
 * received bytes. Both validate header syntax (Netty's {@code validateHeaders} default is on).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled",
        "-Dio.netty.allocator.useCacheForAllThreads=true"})
@State(Scope.Thread)
public class RequestDecoderBenchmark {

    private EmbeddedChannel meridian;
    private MeridianSink meridianSink;
    private EmbeddedChannel netty;
    private NettySink nettySink;
    private EmbeddedChannel floor;
    private ReleasingSink floorSink;

    private ByteBuf browserHead;
    private ByteBuf apiHead;
    private ByteBuf chunkedUpload;

    @Setup(Level.Trial)
    public void setUp() {
        Http1RequestDecoder decoder = new Http1RequestDecoder();
        meridianSink = new MeridianSink(decoder);
        meridian = new EmbeddedChannel(decoder, meridianSink);
        nettySink = new NettySink();
        netty = new EmbeddedChannel(new HttpRequestDecoder(), nettySink);
        floorSink = new ReleasingSink();
        floor = new EmbeddedChannel(floorSink);

        browserHead = pooled(RequestSamples.browserHead());
        apiHead = pooled(RequestSamples.apiHead());
        chunkedUpload = pooled(RequestSamples.chunkedUpload());

        // Decode each input once on both sides and prove it parsed, so no run measures a 400 path.
        for (ByteBuf input : new ByteBuf[] {browserHead, apiHead, chunkedUpload}) {
            boolean chunked = input == chunkedUpload;
            check(meridian, meridianSink, input, chunked);
            check(netty, nettySink, input, chunked);
        }
    }

    private static ByteBuf pooled(byte[] bytes) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    private static void check(EmbeddedChannel channel, CountingSink sink, ByteBuf input, boolean chunked) {
        long heads = sink.heads;
        long body = sink.bodyBytes;
        feed(channel.pipeline(), input);
        sink.assertNoError();
        if (sink.heads != heads + 1) {
            throw new IllegalStateException(sink.getClass().getSimpleName() + " did not emit one head");
        }
        // Each operation must give the reference back, or the next would decode a shared buffer.
        if (input.refCnt() != 1) {
            throw new IllegalStateException(sink.getClass().getSimpleName() + " kept the input (refCnt "
                    + input.refCnt() + ")");
        }
        long expectedBody = chunked ? RequestSamples.CHUNKED_BODY_BYTES : 0;
        if (sink.bodyBytes - body != expectedBody) {
            throw new IllegalStateException(sink.getClass().getSimpleName() + " emitted "
                    + (sink.bodyBytes - body) + " body bytes (expected: " + expectedBody + ")");
        }
    }

    /**
     * One socket read's worth of events. The input is handed over with one more reference, read
     * from index 0; the decoder releases that reference when it has consumed the bytes, as it
     * would a buffer fresh from the socket. Reusing the buffer keeps a per-operation duplicate (a
     * Recycler round trip, about as costly as a small decode on this host) out of every figure.
     */
    private static void feed(ChannelPipeline pipeline, ByteBuf input) {
        pipeline.fireChannelRead(input.readerIndex(0).retain());
        pipeline.fireChannelReadComplete();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        meridianSink.assertNoError();
        nettySink.assertNoError();
        for (ByteBuf input : new ByteBuf[] {browserHead, apiHead, chunkedUpload}) {
            if (input.refCnt() != 1) {
                throw new IllegalStateException("an input buffer was kept (refCnt " + input.refCnt() + ")");
            }
        }
        meridian.finishAndReleaseAll();
        netty.finishAndReleaseAll();
        floor.finishAndReleaseAll();
        browserHead.release();
        apiHead.release();
        chunkedUpload.release();
    }

    @Benchmark
    public long browserHead486Meridian() {
        feed(meridian.pipeline(), browserHead);
        return meridianSink.heads;
    }

    @Benchmark
    public long browserHead486AnchorNetty() {
        feed(netty.pipeline(), browserHead);
        return nettySink.heads;
    }

    @Benchmark
    public long apiHead20FieldsMeridian() {
        feed(meridian.pipeline(), apiHead);
        return meridianSink.heads;
    }

    @Benchmark
    public long apiHead20FieldsAnchorNetty() {
        feed(netty.pipeline(), apiHead);
        return nettySink.heads;
    }

    @Benchmark
    public long chunked64KiBMeridian() {
        feed(meridian.pipeline(), chunkedUpload);
        return meridianSink.bodyBytes;
    }

    @Benchmark
    public long chunked64KiBAnchorNetty() {
        feed(netty.pipeline(), chunkedUpload);
        return nettySink.bodyBytes;
    }

    /** No decoder: the cost of the harness itself (retain, two pipeline events, release). */
    @Benchmark
    public long harnessFloor() {
        feed(floor.pipeline(), browserHead);
        return floorSink.heads;
    }
}
