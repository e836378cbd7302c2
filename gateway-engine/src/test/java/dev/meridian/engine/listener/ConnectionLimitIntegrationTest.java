package dev.meridian.engine.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.WithTestOrigin;
import dev.meridian.engine.testing.TestOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code max_connections} and {@code max_connections_per_ip}, over real sockets from several loopback addresses. */
class ConnectionLimitIntegrationTest extends WithTestOrigin {

    private static TestGateway gateway(Integer maxConnections, Integer maxPerIp) {
        ListenerSpec listener = new ListenerSpec("http", "127.0.0.1:0", List.of(), null, null, null, null,
                null, null, null, maxConnections, maxPerIp, null);
        return TestGateway.start(new GatewaySnapshot(List.of(listener),
                List.of(ClusterSpec.of("backend", TestGateway.endpoints(origin))), List.of(RouteSpec.prefix("/", "backend"))));
    }

    /** A connection from {@code fromIp} that completed one request with a 200, left open. */
    private static Socket served(String fromIp, int port) throws IOException {
        Socket s = connect(fromIp, port);
        assertThat(statusOf(s)).isEqualTo("HTTP/1.1 200");
        s.getInputStream().skip(s.getInputStream().available());
        return s;
    }

    private static Socket connect(String fromIp, int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(5000);
        s.bind(new InetSocketAddress(fromIp, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port));
        return s;
    }

    /** Sends a GET and returns the status line's first 12 bytes, or "closed" when the gateway hung up. */
    private static String statusOf(Socket s) throws IOException {
        try {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] b = in.readNBytes(12);
            return b.length == 0 ? "closed" : new String(b, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "closed"; // reset
        }
    }

    /** Retries until the gateway has processed earlier closes (they are asynchronous). */
    private static String statusEventually(String fromIp, int port, String want) throws Exception {
        long end = System.currentTimeMillis() + 5000;
        String got;
        do {
            try (Socket s = connect(fromIp, port)) {
                got = statusOf(s);
            }
            if (!got.equals(want)) {
                Thread.sleep(20);
            }
        } while (!got.equals(want) && System.currentTimeMillis() < end);
        return got;
    }

    @Test
    void refusesConnectionsBeyondThePerAddressLimitWithoutAffectingOtherAddresses() throws Exception {
        try (TestGateway gw = gateway(null, 3)) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(served("127.0.0.5", gw.port()));
                }
                try (Socket fourth = connect("127.0.0.5", gw.port())) {
                    assertThat(statusOf(fourth)).isEqualTo("closed");
                }
                assertThat(gw.engine.stats().connectionsRejectedMaxPerIp.sum()).isEqualTo(1);
                // Another address is not affected.
                try (Socket other = served("127.0.0.6", gw.port())) {
                    assertThat(other.isConnected()).isTrue();
                }
                // Closing one frees its slot: the count went down exactly once.
                open.remove(0).close();
                assertThat(statusEventually("127.0.0.5", gw.port(), "HTTP/1.1 200")).isEqualTo("HTTP/1.1 200");
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void refusesConnectionsBeyondTheListenerLimitAndRecoversWhenOneCloses() throws Exception {
        try (TestGateway gw = gateway(2, null)) {
            Socket a = served("127.0.0.7", gw.port());
            Socket b = served("127.0.0.8", gw.port());
            try (Socket third = connect("127.0.0.9", gw.port())) {
                assertThat(statusOf(third)).isEqualTo("closed");
            }
            assertThat(gw.engine.stats().connectionsRejectedMaxConnections.sum()).isEqualTo(1);
            assertThat(gw.engine.stats().responses2xx.sum()).isEqualTo(2);
            a.close();
            assertThat(statusEventually("127.0.0.9", gw.port(), "HTTP/1.1 200")).isEqualTo("HTTP/1.1 200");
            b.close();
        }
    }
}
