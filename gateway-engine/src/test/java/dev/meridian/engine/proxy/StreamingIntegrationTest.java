package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream with backpressure: 100 MB each way passes while the proxy's event loops allocate
 * next to nothing on the heap and pooled direct memory stays far below the body size.
 */
class StreamingIntegrationTest {

    static final long SIZE = 100L * 1024 * 1024;

    @Test
    void streams100MegabytesDownWithFlatMemory() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o1"); TestGateway gw = TestGateway.forOrigins(origin)) {
            gw.get("/warm-up");
            MemoryProbe probe = MemoryProbe.start();
            HttpResponse<InputStream> r = gw.client.send(HttpRequest.newBuilder(gw.uri("/download?bytes=" + SIZE)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long n = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = r.body()) {
                for (int k; (k = in.read(buf)) > 0; ) {
                    for (int i = 0; i < k; i++) {
                        if (buf[i] != (byte) ((n + i) % 251)) {
                            throw new AssertionError("byte " + (n + i) + " corrupted");
                        }
                    }
                    n += k;
                }
            }
            probe.stop();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(n).isEqualTo(SIZE);
            probe.assertFlat();
        }
    }

    @Test
    void streams100MegabytesUpWithFlatMemory() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o1"); TestGateway gw = TestGateway.forOrigins(origin)) {
            gw.get("/warm-up");
            origin.received.clear();
            MemoryProbe probe = MemoryProbe.start();
            InputStream body = new InputStream() {
                long left = SIZE;

                @Override
                public int read() {
                    return left-- > 0 ? 7 : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int k = (int) Math.min(len, left);
                    java.util.Arrays.fill(b, off, off + k, (byte) 7);
                    left -= k;
                    return k;
                }
            };
            HttpResponse<String> r = gw.client.send(HttpRequest.newBuilder(gw.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                            SIZE)).build(), HttpResponse.BodyHandlers.ofString());
            probe.stop();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(origin.received.poll().bodyBytes()).isEqualTo(SIZE);
            probe.assertFlat();
        }
    }

    /** Measures heap allocated by the engine's event-loop threads and peak pooled direct memory. */
    static final class MemoryProbe {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long allocatedBefore = engineAllocated();
        final AtomicLong peakDirect = new AtomicLong();
        volatile boolean running = true;
        long allocated;
        Thread sampler;

        static MemoryProbe start() {
            MemoryProbe p = new MemoryProbe();
            p.sampler = new Thread(() -> {
                while (p.running) {
                    p.peakDirect.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            p.sampler.start();
            return p;
        }

        long engineAllocated() {
            long sum = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("meridian-")) {
                    sum += threads.getThreadAllocatedBytes(t.getId());
                }
            }
            return sum;
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
            allocated = engineAllocated() - allocatedBefore;
        }

        void assertFlat() {
            // 100 MB moved; the proxy's own heap allocation stays in single-digit megabytes.
            assertThat(allocated).as("heap allocated by engine event loops").isLessThan(8L * 1024 * 1024);
            // Pooled direct memory (shared with the in-process origin) stays far below the body size.
            assertThat(peakDirect.get()).as("peak pooled direct memory").isLessThan(48L * 1024 * 1024);
        }
    }
}
