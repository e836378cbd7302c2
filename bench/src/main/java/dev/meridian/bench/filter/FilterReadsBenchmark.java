package dev.meridian.bench.filter;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.filter.FilterExecution;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
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
 * Measures the context reads of {@link FilterChainBenchmark}'s filters one at a time, each between
 * {@code begin} and {@code end} over the same head, without a chain: what each read adds to a
 * request, against {@link #floorBeginEnd} (the same begin and end reading nothing).
 *
 * <p>The two header look-ups differ in where the name sits: {@code x-tenant} is the fifth of six
 * fields, {@code accept} the third, and the head's first read also finds its bytes (see
 * {@code HeadBytes}), which {@link #twoHeaderLookups} pays once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class FilterReadsBenchmark {

    private EmbeddedChannel loop;
    private HttpRequestHead head;
    private FilterExecution execution;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new EmbeddedChannel(new Http1RequestDecoder());
        loop.writeInbound(Unpooled.copiedBuffer("GET /api/orders?page=2 HTTP/1.1\r\n"
                + "Host: shop.example.com\r\n"
                + "User-Agent: bench/1.0\r\n"
                + "Accept: application/json\r\n"
                + "Accept-Encoding: gzip\r\n"
                + "X-Tenant: acme\r\n"
                + "X-Request-Id: 5f0c6a1e-8a53-4d3e-9d55-0c2b7e1f9a10\r\n\r\n", StandardCharsets.ISO_8859_1));
        head = loop.readInbound();
        execution = FilterExecution.create(loop.eventLoop());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        head.release();
        loop.finishAndReleaseAll();
    }

    @Benchmark
    public boolean floorBeginEnd() {
        FilterExecution e = execution;
        e.begin(head, null, null);
        boolean r = e.routeName() == null;
        e.end();
        return r;
    }

    @Benchmark
    public boolean hasHeaderFifthField() {
        FilterExecution e = execution;
        e.begin(head, null, null);
        boolean r = e.hasRequestHeader(FilterChainBenchmark.X_TENANT);
        e.end();
        return r;
    }

    @Benchmark
    public boolean headerEqualsThirdField() {
        FilterExecution e = execution;
        e.begin(head, null, null);
        boolean r = e.requestHeaderEquals(FilterChainBenchmark.ACCEPT, FilterChainBenchmark.JSON);
        e.end();
        return r;
    }

    @Benchmark
    public boolean twoHeaderLookups() {
        FilterExecution e = execution;
        e.begin(head, null, null);
        boolean r = e.hasRequestHeader(FilterChainBenchmark.X_TENANT)
                & e.requestHeaderEquals(FilterChainBenchmark.ACCEPT, FilterChainBenchmark.JSON);
        e.end();
        return r;
    }

    @Benchmark
    public boolean methodAndPath() {
        FilterExecution e = execution;
        e.begin(head, null, null);
        boolean r = e.methodIs(FilterChainBenchmark.GET) & e.pathStartsWith(FilterChainBenchmark.API);
        e.end();
        return r;
    }

    @Benchmark
    public boolean putAndGetMetadata() {
        FilterExecution e = execution;
        e.begin(head, null, null);
        e.putMetadata(FilterChainBenchmark.TENANT, FilterChainBenchmark.TENANT_VALUE);
        boolean r = e.metadata(FilterChainBenchmark.TENANT) != null;
        e.end();
        return r;
    }
}
