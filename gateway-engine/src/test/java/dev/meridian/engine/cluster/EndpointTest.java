package dev.meridian.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.config.EndpointSpec;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void literalAddressesAreResolvedWithoutLookupAndHostnamesStayUnresolved() {
        Endpoint ip = Endpoint.of(0, new EndpointSpec("127.0.0.1:9001", 3));
        assertThat(ip.socketAddress().isUnresolved()).isFalse();
        assertThat(ip.socketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 9001));
        assertThat(ip.weight()).isEqualTo(3);
        assertThat(ip.address()).isEqualTo("127.0.0.1:9001");

        Endpoint v6 = Endpoint.of(1, EndpointSpec.of("[::1]:80"));
        assertThat(v6.socketAddress().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");

        Endpoint name = Endpoint.of(2, EndpointSpec.of("backend.internal:8080"));
        assertThat(name.socketAddress().isUnresolved()).isTrue();
        assertThat(name.socketAddress().getHostString()).isEqualTo("backend.internal");
        assertThat(name.index()).isEqualTo(2);
    }

    @Test
    void countsActiveRequestsAcrossThreads() throws Exception {
        Endpoint e = Endpoint.of(0, EndpointSpec.of("127.0.0.1:1"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    e.requestStarted();
                    e.requestStarted();
                    e.requestEnded();
                }
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(e.activeRequests()).isEqualTo(40_000);
    }

    @Test
    void isAvailableUntilToldOtherwise() {
        Endpoint e = Endpoint.of(0, EndpointSpec.of("127.0.0.1:1"));
        assertThat(e.available()).isTrue();
        e.state().setHealthy(false);
        assertThat(e.available()).isFalse();
    }

    @Test
    void refusesWeightBelowOne() {
        assertThatThrownBy(() -> new Endpoint(0, "a:1", InetSocketAddress.createUnresolved("a", 1), 0))
                .hasMessage("weight: 0 (expected: >= 1)");
    }
}
