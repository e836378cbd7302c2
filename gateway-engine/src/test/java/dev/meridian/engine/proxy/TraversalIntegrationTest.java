package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No encoding of {@code ../} lets a request routed by the {@code /public} prefix reach a path outside
 * it at the origin: route {@code /public} goes to origin A, route {@code /} to origin B. Every attack
 * path is rejected (400), or reaches A with a normalized path under {@code /public/}, or — when it
 * really resolves outside the prefix, like {@code /public/../admin} = {@code /admin} — is routed to B
 * by that resolved path and reaches B as exactly that path. Each origin sees the bytes it was routed on.
 *
 * <p>Tagged {@code normalizer}: it holds once ProxyExchange routes and forwards the
 * {@link dev.meridian.engine.codec.PathNormalizer} result. Until then the class skips itself (a probe
 * in {@code @BeforeAll} sees the raw path reach the origin); {@code -Dgroups=normalizer} selects it.
 */
@Tag("normalizer")
class TraversalIntegrationTest {

    static TestOrigin publicOrigin;
    static TestOrigin rest;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        publicOrigin = TestOrigin.start("A");
        rest = TestOrigin.start("B");
        gateway = TestGateway.start(new GatewaySnapshot(
                List.of(ListenerSpec.of("http", "127.0.0.1:0")),
                List.of(ClusterSpec.of("a", TestGateway.endpoints(publicOrigin)),
                        ClusterSpec.of("b", TestGateway.endpoints(rest))),
                List.of(RouteSpec.prefix("/public", "a"), RouteSpec.prefix("/", "b"))));
        RawHttp.exchange(gateway.port(), "GET /public/./probe HTTP/1.1\r\nHost: h\r\n\r\n");
        TestOrigin.Received probe = publicOrigin.received.poll();
        Assumptions.assumeTrue(probe != null && probe.uri().equals("/public/probe"),
                "PathNormalizer is not wired into ProxyExchange yet: the origin received " + (probe == null ? "nothing" : probe.uri()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        publicOrigin.close();
        rest.close();
    }

    @BeforeEach
    void clear() {
        publicOrigin.received.clear();
        rest.received.clear();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/public/../admin", "/public/./../admin", "/public/%2e%2e/admin", "/public/%2E%2e/admin",
            "/public/%2e%2E/admin", "/public/.%2e/admin", "/public/%2e./admin", "/public/..%2fadmin",
            "/public/..%2Fadmin", "/public%2f..%2fadmin", "/public/%252e%252e/admin", "/public/%252e%252e%252fadmin",
            "/public/..\\admin", "/public\\..\\admin", "/public/..%5cadmin", "/public/%5c..%5cadmin",
            "/public/%c0%ae%c0%ae/admin", "/public/%c0%ae%c0%ae%c0%afadmin", "/public/%e0%80%ae%e0%80%ae/admin",
            "/public/..;/admin", "/public/.;/../admin", "/public/..;jsessionid=1/admin", "/public/%2e%2e;/admin",
            "/public/x%00/../../admin", "/public/%00/../admin", "/public/x/../../admin", "/public//../../admin",
            "/public/a/b/../../../admin", "/public/..", "/public/%2e%2e", "/public/../../../../etc/passwd",
            "/public/%2e%2e%2f%2e%2e%2fetc/passwd", "/public/....//admin", "/public/.../admin"})
    void noEncodingOfDotDotEscapesThePublicPrefix(String path) throws Exception {
        RawHttp.Response r = RawHttp.exchange(gateway.port(), "GET " + path + "?next=/../x HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(r.status()).as("rejected, or served by A or B").isIn(400, 200);
        for (TestOrigin.Received got : publicOrigin.received) {
            String originPath = pathOf(got);
            assertThat(originPath).as("path at origin A").startsWith("/public/");
            assertNormal(originPath);
        }
        for (TestOrigin.Received got : rest.received) {
            String originPath = pathOf(got);
            assertThat(originPath).as("path at origin B (the catch-all)").doesNotStartWith("/public/").isNotEqualTo("/public");
            assertNormal(originPath);
        }
        for (TestOrigin.Received got : publicOrigin.received) {
            assertThat(got.uri()).as("query untouched").endsWith("?next=/../x");
        }
    }

    private static String pathOf(TestOrigin.Received got) {
        return got.uri().contains("?") ? got.uri().substring(0, got.uri().indexOf('?')) : got.uri();
    }

    private static void assertNormal(String path) {
        assertThat(path).doesNotContain("/../", "/./", "//", "\\", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "%00")
                .doesNotEndWith("/..").doesNotEndWith("/.");
    }
}
