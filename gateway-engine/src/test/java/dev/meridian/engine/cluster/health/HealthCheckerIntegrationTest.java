package dev.meridian.engine.cluster.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.lb.LoadBalancer;
import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.HealthCheckSpec;
import dev.meridian.engine.testing.TestOrigin;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TCP and HTTP checks over real sockets against {@link TestOrigin} and a closed port, 50 ms intervals. */
class HealthCheckerIntegrationTest {

    private EventLoopGroup group;
    private HealthChecker checker;
    private final List<TestOrigin> origins = new ArrayList<>();

    @BeforeEach
    void start() {
        group = new NioEventLoopGroup(1);
        checker = HealthChecker.create(group, NioSocketChannel.class);
    }

    @AfterEach
    void stop() {
        checker.stop();
        origins.forEach(TestOrigin::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TestOrigin origin(String name) throws InterruptedException {
        TestOrigin o = TestOrigin.start(name);
        origins.add(o);
        return o;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static HealthCheckSpec tcp(int healthy, int unhealthy) {
        return new HealthCheckSpec("tcp", 50L, 200L, 0L, healthy, unhealthy, null, null, null, null);
    }

    private static HealthCheckSpec http(String path, List<String> expected) {
        return new HealthCheckSpec("http", 50L, 500L, 10L, 1, 2, "GET", path, "health.test", expected);
    }

    private static Cluster cluster(HealthCheckSpec check, String... addresses) {
        List<EndpointSpec> specs = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            specs.add(EndpointSpec.of(addresses[i]));
            endpoints.add(Endpoint.of(i, specs.get(i)));
        }
        ClusterSpec spec = new ClusterSpec("c", null, null, specs, null, null, null, null, null, check);
        return new Cluster(spec, endpoints, LoadBalancer.roundRobin(endpoints));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void tcpCheckMarksAClosedPortUnhealthyAndKeepsALiveOriginHealthy() throws Exception {
        TestOrigin up = origin("up");
        Cluster c = cluster(tcp(1, 3), up.address(), "127.0.0.1:" + closedPort());
        Endpoint live = c.endpoints().get(0);
        Endpoint dead = c.endpoints().get(1);
        checker.update(List.of(c));
        assertThat(checker.checkedEndpoints()).isEqualTo(2);

        await("the closed port is unhealthy", () -> !dead.state().healthy());
        assertThat(live.state().healthy()).isTrue();
        assertThat(up.connections()).isPositive(); // the live origin was really probed
        HealthCheckTarget t = ((EventLoopHealthChecker) checker).target(dead);
        assertThat(t.probes()).isGreaterThanOrEqualTo(3); // not before unhealthy_threshold failures
    }

    @Test
    void tcpCheckBringsAnEndpointBackAfterHealthyThresholdSuccesses() throws Exception {
        int port = closedPort();
        Cluster c = cluster(tcp(2, 1), "127.0.0.1:" + port);
        Endpoint e = c.endpoints().get(0);
        checker.update(List.of(c));
        await("unhealthy", () -> !e.state().healthy());
        assertThat(e.available()).isFalse();

        TestOrigin revived = TestOrigin.start("revived", port);
        origins.add(revived);
        await("healthy again", () -> e.state().healthy());
        // The probe's connect completes before the origin's accept is counted on its own loop:
        // wait for the count rather than read it at once (CI once read 1 here).
        await("the origin saw the two probes", () -> revived.connections() >= 2);
        assertThat(revived.connections()).isGreaterThanOrEqualTo(2);
        assertThat(e.available()).isTrue();
    }

    @Test
    void httpCheckSendsTheConfiguredRequestAndAcceptsTheExpectedStatus() throws Exception {
        TestOrigin o = origin("web");
        Cluster c = cluster(http("/healthz", List.of("200")), o.address());
        checker.update(List.of(c));
        await("a probe arrived", () -> !o.received.isEmpty());
        TestOrigin.Received probe = o.received.peek();
        assertThat(probe.method()).isEqualTo("GET");
        assertThat(probe.uri()).isEqualTo("/healthz");
        assertThat(probe.header("host")).isEqualTo("health.test");
        await("several probes", () -> o.received.size() >= 4);
        assertThat(c.endpoints().get(0).state().healthy()).isTrue();
    }

    @Test
    void httpCheckMarksAnUnexpectedStatusUnhealthy() throws Exception {
        TestOrigin o = origin("web"); // answers 200, but only 5xx is expected here
        Cluster c = cluster(http("/", List.of("500-599")), o.address());
        checker.update(List.of(c));
        await("unhealthy on 200", () -> !c.endpoints().get(0).state().healthy());
    }

    @Test
    void httpCheckOfAClosedPortFails() throws Exception {
        Cluster c = cluster(http("/", List.of("200-399")), "127.0.0.1:" + closedPort());
        checker.update(List.of(c));
        await("unhealthy", () -> !c.endpoints().get(0).state().healthy());
    }

    @Test
    void reloadKeepsUnchangedChecksAndStopsDroppedOnesMarkingThemHealthy() throws Exception {
        int port = closedPort();
        TestOrigin o = origin("web");
        Cluster first = cluster(tcp(1, 1), o.address(), "127.0.0.1:" + port);
        checker.update(List.of(first));
        Endpoint dead = first.endpoints().get(1);
        await("unhealthy", () -> !dead.state().healthy());
        HealthCheckTarget kept = ((EventLoopHealthChecker) checker).target(first.endpoints().get(0));

        // Same endpoints and check in a new snapshot (new Endpoint objects sharing the state).
        Endpoint liveAgain = new Endpoint(0, o.address(), first.endpoints().get(0).socketAddress(), 1,
                first.endpoints().get(0).state());
        Endpoint deadAgain = new Endpoint(1, dead.address(), dead.socketAddress(), 1, dead.state());
        ClusterSpec spec = new ClusterSpec("c", null, null,
                List.of(EndpointSpec.of(o.address()), EndpointSpec.of(dead.address())), null, null, null, null, null,
                tcp(1, 1));
        Cluster second = new Cluster(spec, List.of(liveAgain, deadAgain), LoadBalancer.roundRobin(List.of(liveAgain, deadAgain)));
        checker.update(List.of(second));
        assertThat(((EventLoopHealthChecker) checker).target(liveAgain)).isSameAs(kept);
        assertThat(deadAgain.state().healthy()).isFalse(); // the verdict carried over

        // The check is removed: probes stop and nothing stays marked down.
        ClusterSpec unchecked = new ClusterSpec("c", null, null, spec.endpoints(), null, null);
        checker.update(List.of(new Cluster(unchecked, List.of(liveAgain, deadAgain),
                LoadBalancer.roundRobin(List.of(liveAgain, deadAgain)))));
        assertThat(checker.checkedEndpoints()).isZero();
        await("healthy after the check was removed", () -> deadAgain.state().healthy());
        int probesSoFar = o.connections();
        Thread.sleep(200);
        assertThat(o.connections()).isLessThanOrEqualTo(probesSoFar + 1);
    }
}
