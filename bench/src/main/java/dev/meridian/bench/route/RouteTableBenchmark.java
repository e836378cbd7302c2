package dev.meridian.bench.route;

import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.route.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the config suite's route table: {@link RouteTable#compile} and a
 * {@link RouteTable#match(ByteBuf, int, int, int, int)} over 10, 100 and 1,000 host-less prefix
 * routes, reading Host and path straight from a direct buffer holding a request head.
 *
 * <p>Anchor: what a naive gateway does, a {@code HashMap<String, ?>} exact lookup of the path,
 * including the {@code String} it must first decode from the bytes. It is a generous anchor: an
 * exact lookup is one hash probe whatever the table size and cannot express prefixes at all, while
 * the route table does longest-prefix matching. Its compile counterpart fills the same map.
 *
 * <p>Requests cycle over {@value #REQUESTS} paths spread across the table so a single cached path
 * and a perfectly predicted branch do not flatter either side.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@State(Scope.Benchmark)
public class RouteTableBenchmark {

    private static final int REQUESTS = 16;
    private static final String HOST = "api.example.com";

    @Param({"10", "100", "1000"})
    public int routes;

    private List<RouteSpec> specs;
    private RouteTable<String> table;
    private Map<String, String> anchorMap;

    private ByteBuf[] heads;
    private int[] hostOffsets;
    private int[] pathOffsets;
    private int[] pathLengths;
    private int cursor;

    @Setup
    public void setUp() {
        specs = new ArrayList<>(routes);
        anchorMap = new HashMap<>();
        for (int i = 0; i < routes; i++) {
            specs.add(RouteSpec.prefix(prefix(i), "cluster-" + i));
            anchorMap.put(path(i), "cluster-" + i);
        }
        table = RouteTable.compile(specs, RouteSpec::cluster);

        heads = new ByteBuf[REQUESTS];
        hostOffsets = new int[REQUESTS];
        pathOffsets = new int[REQUESTS];
        pathLengths = new int[REQUESTS];
        for (int k = 0; k < REQUESTS; k++) {
            int route = (int) ((long) k * routes / REQUESTS);
            String path = path(route);
            String head = "GET " + path + "?page=2 HTTP/1.1\r\nHost: " + HOST + "\r\nAccept: */*\r\n\r\n";
            byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
            heads[k] = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            pathOffsets[k] = 4;
            pathLengths[k] = path.length();
            hostOffsets[k] = head.indexOf(HOST);
            // Fail the run rather than benchmark a miss.
            String expected = "cluster-" + route;
            if (!expected.equals(matchAt(k)) || !expected.equals(anchorAt(k))) {
                throw new IllegalStateException("request " + path + " did not resolve to " + expected);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ByteBuf b : heads) {
            b.release();
        }
    }

    private static String prefix(int i) {
        return "/api/v1/svc" + i + "/";
    }

    private static String path(int i) {
        return prefix(i) + "items/42";
    }

    private String matchAt(int k) {
        return table.match(heads[k], hostOffsets[k], HOST.length(), pathOffsets[k], pathLengths[k]);
    }

    private String anchorAt(int k) {
        // The naive gateway's first step: a String per request, then the map look-up.
        return anchorMap.get(heads[k].toString(pathOffsets[k], pathLengths[k], StandardCharsets.US_ASCII));
    }

    @Benchmark
    public String match() {
        return matchAt(cursor++ & (REQUESTS - 1));
    }

    @Benchmark
    public String anchorHashMapGet() {
        return anchorAt(cursor++ & (REQUESTS - 1));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public RouteTable<String> compile() {
        return RouteTable.compile(specs, RouteSpec::cluster);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Map<String, String> anchorHashMapBuild() {
        Map<String, String> map = new HashMap<>();
        Function<RouteSpec, String> target = RouteSpec::cluster;
        for (RouteSpec r : specs) {
            map.put(r.prefix(), target.apply(r));
        }
        return map;
    }
}
