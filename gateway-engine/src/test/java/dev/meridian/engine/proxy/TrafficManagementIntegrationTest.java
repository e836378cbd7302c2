package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.breaker.BreakerResource;
import dev.meridian.engine.cluster.breaker.CircuitBreaker;
import dev.meridian.engine.config.ConfigFormat;
import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.testing.LoadLoop;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Balancing, retries, outlier ejection and circuit breaking as clients and origins observe them,
 * over real sockets (issue 4's fault tests).
 */
class TrafficManagementIntegrationTest {

    private static GatewaySnapshot config(String cluster, String route) {
        return ConfigLoader.parse("""
                [[listeners]]
                name = "http"
                address = "127.0.0.1:0"

                [[clusters]]
                %s

                [[routes]]
                prefix = "/"
                cluster = "backend"
                %s
                """.formatted(cluster, route), ConfigFormat.TOML);
    }

    private static String endpoints(TestOrigin... origins) {
        List<String> eps = new ArrayList<>();
        for (TestOrigin o : origins) {
            eps.add("{ address = \"" + o.address() + "\" }");
        }
        return "endpoints = [ " + String.join(", ", eps) + " ]";
    }

    /** Share of {@code total} requests that {@code slow} answered, under 12 concurrent clients. */
    private static double slowShare(String policy, TestOrigin fast1, TestOrigin fast2, TestOrigin slow) throws Exception {
        for (TestOrigin o : List.of(fast1, fast2, slow)) {
            o.received.clear();
        }
        GatewaySnapshot snap = config("""
                name = "backend"
                lb_policy = "%s"
                %s
                """.formatted(policy, endpoints(fast1, fast2, slow)), "");
        try (TestGateway gw = TestGateway.start(snap)) {
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                all.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 30; i++) {
                        try {
                            assertThat(gw.get("/p2c").statusCode()).isEqualTo(200);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            pool.shutdown();
        }
        double total = fast1.received.size() + fast2.received.size() + slow.received.size();
        return slow.received.size() / total;
    }

    @Test
    void leastRequestSendsFewerRequestsToASlowEndpointThanRoundRobin() throws Exception {
        try (TestOrigin a = TestOrigin.start("a"); TestOrigin b = TestOrigin.start("b");
             TestOrigin slow = TestOrigin.start("slow").delay(60)) {
            double roundRobin = slowShare("round_robin", a, b, slow);
            double leastRequest = slowShare("least_request", a, b, slow);

            assertThat(roundRobin).isBetween(0.30, 0.37);
            assertThat(leastRequest).isLessThan(roundRobin - 0.10);
        }
    }

    @Test
    void maglevKeysOnTheConfiguredHeaderSoEachValueSticksToOneOrigin() throws Exception {
        try (TestOrigin a = TestOrigin.start("a"); TestOrigin b = TestOrigin.start("b"); TestOrigin c = TestOrigin.start("c")) {
            GatewaySnapshot snap = config("""
                    name = "backend"
                    lb_policy = "maglev"
                    hash_on = "header:X-User"
                    %s
                    """.formatted(endpoints(a, b, c)), "");
            try (TestGateway gw = TestGateway.start(snap)) {
                java.util.Map<String, java.util.Set<String>> originsByUser = new java.util.HashMap<>();
                for (int round = 0; round < 5; round++) {
                    for (int user = 0; user < 30; user++) {
                        HttpResponse<String> r = gw.client.send(java.net.http.HttpRequest.newBuilder(gw.uri("/u"))
                                .header("X-User", "user-" + user).build(), HttpResponse.BodyHandlers.ofString());
                        originsByUser.computeIfAbsent("user-" + user, k -> new java.util.HashSet<>())
                                .add(r.headers().firstValue("x-origin").orElseThrow());
                    }
                }
                assertThat(originsByUser.values()).allSatisfy(origins -> assertThat(origins).hasSize(1));
                java.util.Set<String> used = new java.util.HashSet<>();
                originsByUser.values().forEach(used::addAll);
                assertThat(used).as("30 users spread over the origins").hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void retriesOnAnotherEndpointWhenOneAnswers503() throws Exception {
        try (TestOrigin ok = TestOrigin.start("ok"); TestOrigin bad = TestOrigin.start("bad").status(503)) {
            GatewaySnapshot snap = config("""
                    name = "backend"
                    %s
                    [clusters.outlier_detection]
                    enabled = false
                    """.formatted(endpoints(ok, bad)), """
                    [routes.retry_policy]
                    retry_on = ["gateway-error"]
                    num_retries = 1
                    """);
            try (TestGateway gw = TestGateway.start(snap)) {
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = gw.get("/r" + i);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).startsWith("ok ");
                }
                assertThat(bad.received).isNotEmpty();
            }
        }
    }

    @Test
    void killingOneOfThreeOriginsUnderLoadFailsNoIdempotentRequestAndItReturnsAfterRecovery() throws Exception {
        try (TestOrigin a = TestOrigin.start("a"); TestOrigin b = TestOrigin.start("b")) {
            TestOrigin c = TestOrigin.start("c");
            int cPort = c.port();
            GatewaySnapshot snap = config("""
                    name = "backend"
                    %s
                    [clusters.outlier_detection]
                    consecutive_gateway_failure = 2
                    base_ejection_time_ms = 1000
                    max_ejection_percent = 50
                    """.formatted(endpoints(a, b, c)), """
                    [routes.retry_policy]
                    retry_on = ["connect-failure", "reset", "gateway-error"]
                    num_retries = 2
                    """);
            try (TestGateway gw = TestGateway.start(snap)) {
                LoadLoop load = LoadLoop.start(gw, "/load", 4);
                Thread.sleep(700);
                c.close();
                Thread.sleep(2000);
                int cBefore = c.received.size();
                TestOrigin revived = TestOrigin.start("c", cPort);
                long deadline = System.currentTimeMillis() + 15_000;
                while (revived.received.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                load.close();

                assertThat(load.failures()).isEmpty();
                assertThat(load.ok()).isGreaterThan(100);
                assertThat(cBefore).isPositive();
                assertThat(revived.received).as("the ejected endpoint serves again after it recovers").isNotEmpty();
                revived.close();
            }
        }
    }

    @Test
    void breakerOverflowAnswers503AndNoPermitLeaksAfterTenThousandRequestsWithClientAborts() throws Exception {
        try (TestOrigin origin = TestOrigin.start("o").delay(150)) {
            GatewaySnapshot snap = config("""
                    name = "backend"
                    %s
                    [clusters.circuit_breakers]
                    max_requests = 4
                    """.formatted(endpoints(origin)), "");
            try (TestGateway gw = TestGateway.start(snap)) {
                List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    burst.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return gw.get("/burst");
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }));
                }
                int overflow = 0;
                int served = 0;
                for (CompletableFuture<HttpResponse<String>> f : burst) {
                    HttpResponse<String> r = f.join();
                    if (r.statusCode() == 503) {
                        assertThat(r.body()).isEqualTo("Service Unavailable\n");
                        overflow++;
                    } else {
                        assertThat(r.statusCode()).isEqualTo(200);
                        served++;
                    }
                }
                assertThat(overflow).isPositive();
                assertThat(served).isGreaterThanOrEqualTo(4);

                origin.delay(2);
                ExecutorService pool = Executors.newFixedThreadPool(8);
                AtomicInteger done = new AtomicInteger();
                for (int t = 0; t < 8; t++) {
                    pool.submit(() -> {
                        byte[] request = "GET /abort HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                        for (int i = 0; i < 1250; i++) {
                            try (Socket s = new Socket("127.0.0.1", gw.port())) {
                                s.setSoLinger(true, 0);
                                OutputStream out = s.getOutputStream();
                                out.write(request);
                                out.flush();
                                if (ThreadLocalRandom.current().nextBoolean()) {
                                    InputStream in = s.getInputStream();
                                    in.read(new byte[512]);
                                }
                                // else: the client walks away mid-request (a reset, SO_LINGER 0)
                            } catch (Exception ignored) {
                                // a refused or reset connection is one of the outcomes we provoke
                            }
                            done.incrementAndGet();
                        }
                        return null;
                    });
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
                assertThat(done.get()).isEqualTo(10_000);

                CircuitBreaker breaker = gw.engine.clusters().get("backend").breaker();
                long deadline = System.currentTimeMillis() + 10_000;
                // Zero for 300 ms running, not for one instant: a reset connection may still hold a
                // request the proxy reads after the clients are done (it starts, then ends, at once).
                // A leaked unit never reaches a quiet 300 ms, so the assertions below still catch it.
                for (int quiet = 0; quiet < 15 && System.currentTimeMillis() < deadline; ) {
                    boolean idle = breaker.active(BreakerResource.REQUESTS) == 0
                            && gw.engine.stats().requestsActive.sum() == 0;
                    quiet = idle ? quiet + 1 : 0;
                    Thread.sleep(20);
                }
                assertThat(gw.engine.stats().requestsActive.sum()).isZero();
                assertThat(breaker.active(BreakerResource.REQUESTS)).isZero();
                assertThat(breaker.active(BreakerResource.PENDING_REQUESTS)).isZero();
                assertThat(breaker.active(BreakerResource.RETRIES)).isZero();
                assertThat(gw.get("/after").statusCode()).isEqualTo(200);
            }
        }
    }
}
