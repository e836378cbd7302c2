package dev.meridian.engine.cluster.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusLineHandlerTest {

    private static List<Integer> feed(String... parts) {
        List<Integer> reported = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new StatusLineHandler(reported::add));
        for (String p : parts) {
            ch.writeInbound(Unpooled.copiedBuffer(p, StandardCharsets.US_ASCII));
        }
        ch.close();
        return reported;
    }

    @Test
    void reportsTheStatusOnceEvenWhenTheLineArrivesInPieces() {
        assertThat(feed("HTTP/1.1 2", "04 No Content\r\nX: y\r\n\r\n")).containsExactly(204);
        assertThat(feed("HTTP/1.0 503 Service Unavailable\r\n")).containsExactly(503);
    }

    @Test
    void reportsMinusOneForWhatIsNotAStatusLineOrAConnectionClosedFirst() {
        assertThat(feed("SSH-2.0-OpenSSH_9.6\r\n")).containsExactly(-1);
        assertThat(feed("HTTP/1.1 2x0 OK\r\n")).containsExactly(-1);
        assertThat(feed("HTTP/1.1 200")).containsExactly(-1);
        assertThat(feed("x".repeat(5000))).containsExactly(-1);
    }
}
