package dev.meridian.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.cluster.breaker.BreakerResource;
import dev.meridian.engine.cluster.outlier.GatewayFailure;
import dev.meridian.engine.config.CircuitBreakersSpec;
import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.OutlierDetectionSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.runtime.SnapshotCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What {@link SnapshotCompiler} carries over a reload: endpoint state, breakers, detectors, Maglev keys. */
class ClusterReloadTest {

    private static GatewaySnapshot snapshot(ClusterSpec... clusters) {
        List<RouteSpec> routes = new ArrayList<>();
        for (int i = 0; i < clusters.length; i++) {
            routes.add(RouteSpec.prefix("/" + clusters[i].name(), clusters[i].name()));
        }
        return new GatewaySnapshot(List.of(ListenerSpec.of("http", "127.0.0.1:0")), List.of(clusters), routes);
    }

    private static List<EndpointSpec> endpoints(int n) {
        List<EndpointSpec> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(EndpointSpec.of("10.1.0." + (i + 1) + ":8080"));
        }
        return list;
    }

    private static ClusterSpec maglev(String name, List<EndpointSpec> eps) {
        return new ClusterSpec(name, "maglev", null, eps, null, null);
    }

    @Test
    void maglevKeepsEveryKeyOnItsEndpointAcrossAReloadOfAnUnchangedCluster() {
        GatewaySnapshot spec = snapshot(maglev("hash", endpoints(7)), ClusterSpec.of("other", endpoints(2)));
        RuntimeSnapshot first = SnapshotCompiler.compile(spec, null, 1);
        // Another cluster changes; "hash" does not.
        GatewaySnapshot next = snapshot(maglev("hash", endpoints(7)), ClusterSpec.of("other", endpoints(3)));
        RuntimeSnapshot second = SnapshotCompiler.compile(next, first, 2);
        RuntimeSnapshot fresh = SnapshotCompiler.compile(next, null, 1); // a restarted gateway, too
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            long key = random.nextLong();
            Endpoint before = first.clusters().get("hash").loadBalancer().pick(key);
            assertThat(second.clusters().get("hash").loadBalancer().pick(key)).isSameAs(before);
            assertThat(fresh.clusters().get("hash").loadBalancer().pick(key).address()).isEqualTo(before.address());
        }
    }

    @Test
    void maglevMovesAtMostOneNthPlusOnePercentWhenAnEndpointLeavesOnReload() {
        int n = 8;
        RuntimeSnapshot first = SnapshotCompiler.compile(snapshot(maglev("hash", endpoints(n))), null, 1);
        List<EndpointSpec> fewer = new ArrayList<>(endpoints(n));
        fewer.remove(3);
        RuntimeSnapshot second = SnapshotCompiler.compile(snapshot(maglev("hash", fewer)), first, 2);
        SplittableRandom random = new SplittableRandom(11);
        int keys = 100_000;
        int moved = 0;
        for (int i = 0; i < keys; i++) {
            long key = random.nextLong();
            String a = first.clusters().get("hash").loadBalancer().pick(key).address();
            String b = second.clusters().get("hash").loadBalancer().pick(key).address();
            if (!a.equals(b)) {
                moved++;
            }
        }
        assertThat((double) moved / keys).isLessThanOrEqualTo(1.0 / n + 0.01);
    }

    @Test
    void endpointStateSurvivesAWeightOrPositionChange() {
        List<EndpointSpec> eps = endpoints(3);
        RuntimeSnapshot first = SnapshotCompiler.compile(snapshot(ClusterSpec.of("c", eps)), null, 1);
        Endpoint e = first.clusters().get("c").endpoints().get(2);
        e.state().setHealthy(false);

        List<EndpointSpec> changed = List.of(EndpointSpec.of("10.1.0.9:8080"), eps.get(0),
                new EndpointSpec(eps.get(2).address(), 5), eps.get(1));
        RuntimeSnapshot second = SnapshotCompiler.compile(snapshot(ClusterSpec.of("c", changed)), first, 2);
        Endpoint moved = second.clusters().get("c").endpoints().get(2);
        assertThat(moved).isNotSameAs(e);
        assertThat(moved.weight()).isEqualTo(5);
        assertThat(moved.state()).isSameAs(e.state());
        assertThat(moved.available()).isFalse();
        assertThat(second.clusters().get("c").endpoints().get(0).available()).isTrue();
    }

    @Test
    void endpointStateIsPerClusterNotPerAddress() {
        List<EndpointSpec> eps = endpoints(2);
        RuntimeSnapshot first = SnapshotCompiler.compile(snapshot(ClusterSpec.of("a", eps), ClusterSpec.of("b", eps)), null, 1);
        first.clusters().get("a").endpoints().get(0).state().setEjected(true);
        assertThat(first.clusters().get("b").endpoints().get(0).available()).isTrue();
    }

    @Test
    void breakerAndDetectorPersistWhileTheClusterNamePersistsAndTakeTheNewSettings() {
        ClusterSpec small = new ClusterSpec("c", null, null, endpoints(2), null, null, null,
                new CircuitBreakersSpec(null, null, 2, null, null, null), null, null);
        RuntimeSnapshot first = SnapshotCompiler.compile(snapshot(small), null, 1);
        Cluster c1 = first.clusters().get("c");
        assertThat(c1.breaker().tryAcquire(BreakerResource.REQUESTS)).isTrue(); // in flight across the reload

        ClusterSpec larger = new ClusterSpec("c", null, null, endpoints(2), null, null, null,
                new CircuitBreakersSpec(null, null, 5, null, null, null),
                new OutlierDetectionSpec(null, null, 2, null, null, null, 50), null);
        RuntimeSnapshot second = SnapshotCompiler.compile(snapshot(larger), first, 2);
        Cluster c2 = second.clusters().get("c");
        assertThat(c2.breaker()).isSameAs(c1.breaker());
        assertThat(c2.breaker().limit(BreakerResource.REQUESTS)).isEqualTo(5);
        assertThat(c2.breaker().active(BreakerResource.REQUESTS)).isEqualTo(1);
        c1.breaker().release(BreakerResource.REQUESTS); // the old request ends
        assertThat(c2.breaker().active(BreakerResource.REQUESTS)).isZero();

        assertThat(c2.outlierDetector()).isSameAs(c1.outlierDetector());
        assertThat(c2.outlierDetector().config().consecutiveGatewayFailure()).isEqualTo(2);
        Endpoint e = c2.endpoints().get(0);
        c2.outlierDetector().onGatewayFailure(e, GatewayFailure.RESET);
        c2.outlierDetector().onGatewayFailure(e, GatewayFailure.RESET);
        assertThat(e.available()).isFalse();

        RuntimeSnapshot renamed = SnapshotCompiler.compile(snapshot(ClusterSpec.of("d", endpoints(2))), second, 3);
        assertThat(renamed.clusters().get("d").breaker()).isNotSameAs(c1.breaker());
        assertThat(renamed.clusters().get("d").endpoints().get(0).available()).isTrue();
    }

    @Test
    void aFailedReloadLeavesTheRunningBreakerUnchanged() {
        RuntimeSnapshot first = SnapshotCompiler.compile(snapshot(ClusterSpec.of("c", endpoints(1))), null, 1);
        ClusterSpec tighter = new ClusterSpec("c", null, null, endpoints(1), null, null, null,
                new CircuitBreakersSpec(null, null, 1, null, null, null), null, null);
        ClusterSpec unresolvable = ClusterSpec.of("x", List.of(EndpointSpec.of("no-such-host.invalid:80")));
        assertThatThrownBy(() -> SnapshotCompiler.compile(snapshot(tighter, unresolvable), first, 2))
                .isInstanceOf(ConfigValidationException.class);
        assertThat(first.clusters().get("c").breaker().limit(BreakerResource.REQUESTS)).isEqualTo(1024);
    }

    @Test
    void panicThresholdComesFromTheSpec() {
        ClusterSpec noPanic = new ClusterSpec("c", null, null, endpoints(2), null, null, 0, null, null, null);
        RuntimeSnapshot s = SnapshotCompiler.compile(snapshot(noPanic), null, 1);
        Cluster c = s.clusters().get("c");
        c.endpoints().forEach(e -> e.state().setHealthy(false));
        assertThat(c.loadBalancer().pick(1)).isNull();
    }
}
