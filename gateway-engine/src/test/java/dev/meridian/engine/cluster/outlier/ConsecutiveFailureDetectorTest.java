package dev.meridian.engine.cluster.outlier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.cluster.EjectionReason;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.Ticker;
import dev.meridian.engine.config.EndpointSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsecutiveFailureDetectorTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = now::get;

    private static List<Endpoint> endpoints(int n) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Endpoint.of(i, EndpointSpec.of("10.0.0." + (i + 1) + ":80")));
        }
        return list;
    }

    private static OutlierConfig config(int maxEjectionPercent) {
        return new OutlierConfig(true, 5, 5, 1000, 30_000, 300_000, maxEjectionPercent);
    }

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void ejectsAfterConsecutive5xxAndKeepsTheReason() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector d = OutlierDetector.create(config(50), eps, ticker);
        Endpoint e = eps.get(0);
        for (int i = 0; i < 4; i++) {
            d.onResponse(e, 500);
        }
        assertThat(e.available()).isTrue();
        d.onResponse(e, 500);
        assertThat(e.available()).isFalse();
        assertThat(e.state().ejected()).isTrue();
        assertThat(e.state().healthy()).isTrue();
        assertThat(e.state().ejection().reason()).isEqualTo(EjectionReason.CONSECUTIVE_5XX);
        assertThat(e.state().ejection().atNanos()).isEqualTo(now.get());
        assertThat(d.ejections(EjectionReason.CONSECUTIVE_5XX)).isEqualTo(1);
        assertThat(d.ejectedCount()).isEqualTo(1);
    }

    @Test
    void ejectsAfterConsecutiveGatewayFailuresOfAnyKind() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector d = OutlierDetector.create(config(50), eps, ticker);
        Endpoint e = eps.get(1);
        d.onGatewayFailure(e, GatewayFailure.CONNECT_FAILURE);
        d.onGatewayFailure(e, GatewayFailure.CONNECT_TIMEOUT);
        d.onGatewayFailure(e, GatewayFailure.RESET);
        d.onResponse(e, 503);
        assertThat(e.available()).isTrue();
        d.onGatewayFailure(e, GatewayFailure.TIMEOUT);
        assertThat(e.available()).isFalse();
        assertThat(e.state().ejection().reason()).isEqualTo(EjectionReason.CONSECUTIVE_GATEWAY_FAILURE);
    }

    @Test
    void aSuccessEndsTheRun() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector d = OutlierDetector.create(config(50), eps, ticker);
        Endpoint e = eps.get(0);
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 4; i++) {
                d.onResponse(e, 502);
            }
            d.onResponse(e, 404); // a client error is the origin working
        }
        d.onGatewayFailure(e, GatewayFailure.RESET);
        d.onSuccess(e);
        assertThat(e.available()).isTrue();
        assertThat(e.state().consecutive5xx()).isZero();
    }

    @Test
    void returnsWhenItsTimeIsUpAndTheNextEjectionLastsLonger() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector d = OutlierDetector.create(config(50), eps, ticker);
        Endpoint e = eps.get(0);
        fail(d, e);
        advanceSeconds(29);
        assertThat(d.sweep()).isZero();
        assertThat(e.available()).isFalse();
        advanceSeconds(1);
        assertThat(d.sweep()).isEqualTo(1);
        assertThat(e.available()).isTrue();
        assertThat(e.state().ejection().reason()).isEqualTo(EjectionReason.CONSECUTIVE_GATEWAY_FAILURE); // kept

        fail(d, e); // second ejection: 2 x 30 s
        assertThat(e.state().ejection().count()).isEqualTo(2);
        advanceSeconds(59);
        d.sweep();
        assertThat(e.available()).isFalse();
        advanceSeconds(1);
        d.sweep();
        assertThat(e.available()).isTrue();

        fail(d, e); // third: 90 s
        advanceSeconds(89);
        d.sweep();
        assertThat(e.available()).isFalse();
        advanceSeconds(1);
        d.sweep();
        assertThat(e.available()).isTrue();
    }

    @Test
    void ejectionTimeIsCappedByTheMaximum() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector d = OutlierDetector.create(new OutlierConfig(true, 5, 5, 1000, 30_000, 60_000, 50), eps, ticker);
        Endpoint e = eps.get(0);
        for (int i = 0; i < 4; i++) {
            fail(d, e);
            long until = e.state().ejection().untilNanos() - e.state().ejection().atNanos();
            assertThat(until).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(60));
            now.addAndGet(until);
            d.sweep();
        }
    }

    @Test
    void goodBehaviourAfterReturningForgivesPastEjections() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector d = OutlierDetector.create(config(50), eps, ticker);
        Endpoint e = eps.get(0);
        fail(d, e);
        advanceSeconds(30);
        d.sweep(); // back
        fail(d, e);
        advanceSeconds(60);
        d.sweep(); // back, count 2
        advanceSeconds(30);
        d.sweep(); // 30 s in service: count 1
        advanceSeconds(30);
        d.sweep(); // count 0
        assertThat(e.state().ejection().count()).isZero();
        fail(d, e);
        assertThat(e.state().ejection().count()).isEqualTo(1);
        assertThat(e.state().ejection().untilNanos() - now.get()).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void neverEjectsMoreThanTheMaximumShareButAlwaysAtLeastOne() {
        List<Endpoint> ten = endpoints(10);
        OutlierDetector d = OutlierDetector.create(config(20), ten, ticker);
        for (Endpoint e : ten) {
            fail(d, e);
        }
        assertThat(d.ejectedCount()).isEqualTo(2);
        assertThat(d.ejectionsSkippedByMaxPercent()).isEqualTo(8);

        List<Endpoint> three = endpoints(3);
        OutlierDetector small = OutlierDetector.create(config(10), three, ticker); // 10% of 3 < 1
        for (Endpoint e : three) {
            fail(small, e);
        }
        assertThat(small.ejectedCount()).isEqualTo(1);
    }

    @Test
    void aThresholdOfZeroDisablesThatDetectorAndDisabledDetectionEjectsNothing() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector only5xx = OutlierDetector.create(new OutlierConfig(true, 3, 0, 1000, 30_000, 300_000, 50),
                eps, ticker);
        for (int i = 0; i < 20; i++) {
            only5xx.onGatewayFailure(eps.get(0), GatewayFailure.CONNECT_FAILURE);
        }
        assertThat(eps.get(0).state().ejection().reason()).isEqualTo(EjectionReason.CONSECUTIVE_5XX);

        List<Endpoint> other = endpoints(2);
        OutlierDetector off = OutlierDetector.create(OutlierConfig.DISABLED, other, ticker);
        for (int i = 0; i < 20; i++) {
            off.onResponse(other.get(0), 500);
        }
        assertThat(other.get(0).available()).isTrue();
    }

    @Test
    void disablingDetectionOnReloadReturnsEjectedEndpoints() {
        List<Endpoint> eps = endpoints(2);
        OutlierDetector d = OutlierDetector.create(config(50), eps, ticker);
        fail(d, eps.get(0));
        d.reconfigure(OutlierConfig.DISABLED, eps);
        assertThat(eps.get(0).available()).isTrue();
    }

    private static void fail(OutlierDetector d, Endpoint e) {
        for (int i = 0; i < 5; i++) {
            d.onGatewayFailure(e, GatewayFailure.CONNECT_FAILURE);
        }
    }
}
