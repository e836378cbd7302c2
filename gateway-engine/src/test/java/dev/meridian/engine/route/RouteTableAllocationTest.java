package dev.meridian.engine.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.RouteSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableAllocationTest {

    /** Bytes the current thread allocated while running {@code body}. */
    static long allocatedBy(Runnable body) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        body.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void matchAllocatesNothing() {
        List<RouteSpec> routes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            routes.add(new RouteSpec("p" + i, null, "/svc" + i, null, "c", null));
            routes.add(new RouteSpec("x" + i, "h" + i + ".example.com", null, "/svc" + i + "/x", "c", null));
            routes.add(new RouteSpec("w" + i, "*.w" + i + ".example.com", "/", null, "c", null));
        }
        RouteTable<String> t = RouteTable.compile(routes, RouteSpec::name);
        String text = "H42.EXAMPLE.com:8080" + "/svc42/x" + "sub.w7.example.com" + "/svc7/deep";
        // A wrapped array is never leak-tracked, so no leak-detector level can add allocations here.
        ByteBuf buf = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
        int host1 = 0;
        int path1 = text.indexOf("/svc42");
        int host2 = text.indexOf("sub.");
        int path2 = text.indexOf("/svc7");
        Runnable loop = () -> {
            for (int i = 0; i < 100_000; i++) {
                t.match(buf, host1, path1 - host1, path1, host2 - path1);
                t.match(buf, host2, path2 - host2, path2, text.length() - path2);
                t.match(buf, 0, -1, path2, text.length() - path2);
            }
        };
        loop.run(); // class loading and first-call allocations happen here
        assertThat(t.match(buf, host1, path1 - host1, path1, host2 - path1)).isEqualTo("x42");
        assertThat(t.match(buf, host2, path2 - host2, path2, text.length() - path2)).isEqualTo("w7");
        assertThat(t.match(buf, 0, -1, path2, text.length() - path2)).isEqualTo("p7");
        // 300,000 matches: a single allocation per match would be megabytes.
        assertThat(allocatedBy(loop)).isLessThan(4096);
        buf.release();
    }
}
