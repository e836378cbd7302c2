package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.bytes;
import static dev.meridian.engine.codec.CodecTestSupport.drain;
import static dev.meridian.engine.codec.CodecTestSupport.releaseAll;
import static dev.meridian.engine.codec.CodecTestSupport.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a decoded head owns and for how long: the read buffer handed over whole when it holds
 * exactly the head, the offsets table lent by the decoder until the head's last release.
 */
class Http1HeadLifetimeTest {

    private final Http1RequestDecoder decoder = new Http1RequestDecoder();
    private final EmbeddedChannel ch = new EmbeddedChannel(decoder);

    @AfterEach
    void close() {
        releaseAll(drain(ch));
        ch.finishAndReleaseAll();
    }

    private HttpRequestHead nextHead() {
        List<Object> out = drain(ch);
        HttpRequestHead head = null;
        for (Object m : out) {
            if (m instanceof HttpRequestHead h) {
                assertThat(head).as("one head").isNull();
                head = h;
            } else {
                assertThat(m).isInstanceOf(HttpBodyEnd.class);
                ((HttpBodyEnd) m).release();
            }
        }
        assertThat(head).isNotNull();
        return head;
    }

    @Test
    void aReadHoldingExactlyTheHeadBecomesTheHeadBuffer() {
        String request = "GET /a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n";
        ByteBuf in = bytes(request);
        ch.writeInbound(in);
        HttpRequestHead head = nextHead();
        assertThat(head.buffer()).isSameAs(in);
        assertThat(in.refCnt()).isEqualTo(1);
        assertThat(string(head.buffer())).isEqualTo(request);
        assertThat(head.header("accept")).isEqualTo("*/*");
        assertThat(head.release()).isTrue();
        assertThat(in.refCnt()).isZero();
        assertThat(decoder.hasBufferedBytes()).isFalse();
    }

    @Test
    void aHeadFollowedByBodyBytesIsASliceOfExactlyTheHead() {
        String head1 = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n";
        ByteBuf in = bytes(head1 + "hi");
        ch.writeInbound(in);
        List<Object> out = drain(ch);
        HttpRequestHead head = (HttpRequestHead) out.get(0);
        assertThat(head.buffer()).isNotSameAs(in);
        assertThat(string(head.buffer())).isEqualTo(head1);
        assertThat(head.contentLength()).isEqualTo(2);
        releaseAll(out);
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void aHeadAfterSkippedEmptyLinesIsASlice() {
        String request = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
        ByteBuf in = bytes("\r\n" + request);
        ch.writeInbound(in);
        HttpRequestHead head = nextHead();
        assertThat(head.buffer()).isNotSameAs(in);
        assertThat(string(head.buffer())).isEqualTo(request);
        assertThat(head.headerName(head.hostIndex())).isEqualTo("Host");
        head.release();
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void aHeldHeadKeepsItsFieldsWhilePipelinedHeadsAreDecoded() {
        ch.writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: one\r\nX-A: 1\r\n\r\n"
                + "GET /2 HTTP/1.1\r\nX-Long-Name-Of-Two: 22\r\nHost: two.example\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: three\r\n\r\n"));
        HttpRequestHead first = nextHead();
        decoder.resume();
        HttpRequestHead second = nextHead();
        assertThat(first.header("host")).isEqualTo("one");
        assertThat(first.header("x-a")).isEqualTo("1");
        assertThat(first.headerName(1)).isEqualTo("X-A");
        first.release();
        decoder.resume();
        HttpRequestHead third = nextHead();
        // The second head is still held: decoding the third must not have touched its offsets.
        assertThat(second.headerCount()).isEqualTo(2);
        assertThat(second.headerName(0)).isEqualTo("X-Long-Name-Of-Two");
        assertThat(second.headerValue(0)).isEqualTo("22");
        assertThat(second.header("host")).isEqualTo("two.example");
        assertThat(second.hostIndex()).isEqualTo(1);
        assertThat(third.header("host")).isEqualTo("three");
        second.release();
        third.release();
    }

    @Test
    void aRetainedHeadGivesItsOffsetsBackOnlyOnTheLastRelease() {
        ch.writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: one\r\n\r\n"));
        HttpRequestHead first = nextHead();
        first.retain();
        assertThat(first.release()).isFalse();
        decoder.resume();
        ch.writeInbound(bytes("GET /2 HTTP/1.1\r\nX-Other: 2\r\nHost: two\r\n\r\n"));
        HttpRequestHead second = nextHead();
        assertThat(first.headerName(0)).isEqualTo("Host");
        assertThat(first.headerValue(0)).isEqualTo("one");
        assertThat(second.headerName(0)).isEqualTo("X-Other");
        assertThat(first.release()).isTrue();
        second.release();
    }

    @Test
    void aHeadReleasedOnAnotherThreadDoesNotLendItsOffsetsAgain() throws Exception {
        ch.writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: one\r\n\r\n"));
        HttpRequestHead first = nextHead();
        int nameOffset = first.nameOffset(0);
        int valueOffset = first.valueOffset(0);
        Thread other = new Thread(first::release);
        other.start();
        other.join();
        decoder.resume();
        ch.writeInbound(bytes("GET /second HTTP/1.1\r\nX-Other: 2\r\nHost: two\r\n\r\n"));
        HttpRequestHead second = nextHead();
        assertThat(second.headerName(0)).isEqualTo("X-Other");
        // White-box: the decoder did not take the array back from a foreign thread, so the
        // released head's (meaningless) offsets were not overwritten by the second head.
        assertThat(first.nameOffset(0)).isEqualTo(nameOffset);
        assertThat(first.valueOffset(0)).isEqualTo(valueOffset);
        second.release();
    }

    @Test
    void hopByHopMarksBeyondSixtyFourFieldsAreKept() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 1; i < 70; i++) {
            sb.append("X-F").append(i).append(": v\r\n");
        }
        sb.append("Connection: x-f65, x-f3\r\n\r\n");
        ch.writeInbound(bytes(sb.toString()));
        HttpRequestHead head = nextHead();
        assertThat(head.headerCount()).isEqualTo(71);
        for (int i = 0; i < head.headerCount(); i++) {
            String name = head.headerName(i);
            boolean hop = name.equals("X-F65") || name.equals("X-F3") || name.equals("Connection");
            assertThat(head.isHopByHop(i)).as(name).isEqualTo(hop);
        }
        head.release();
    }

    @Test
    void aRecycledHeadIsFilledWithTheConnectionsNextRequestInsteadOfANewObject() {
        ch.writeInbound(bytes("GET /first HTTP/1.1\r\nHost: one\r\nX-Only-First: 1\r\n\r\n"));
        HttpRequestHead first = nextHead();
        assertThat(first.recycle()).isTrue();
        decoder.resume();

        ch.writeInbound(bytes("POST /second HTTP/1.1\r\nHost: two\r\nContent-Length: 0\r\n\r\n"));
        HttpRequestHead second = nextHead();

        // The same object, now wholly the second request: nothing of the first shows through.
        assertThat(second).isSameAs(first);
        assertThat(second.method()).isEqualTo("POST");
        assertThat(second.target()).isEqualTo("/second");
        assertThat(second.header("host")).isEqualTo("two");
        assertThat(second.header("x-only-first")).isNull();
        assertThat(second.headerCount()).isEqualTo(2);
        assertThat(second.contentLength()).isZero();
        assertThat(second.refCnt()).isEqualTo(1);
        assertThat(second.release()).isTrue();
    }

    @Test
    void aReleasedHeadIsNeverReusedOnlyARecycledOne() {
        ch.writeInbound(bytes("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"));
        HttpRequestHead first = nextHead();
        first.release();
        decoder.resume();
        ch.writeInbound(bytes("GET /b HTTP/1.1\r\nHost: h\r\n\r\n"));
        HttpRequestHead second = nextHead();
        assertThat(second).isNotSameAs(first);
        second.release();
    }

    @Test
    void aHeadStillRetainedElsewhereIsNotReusedWhenItsHolderRecyclesIt() {
        ch.writeInbound(bytes("GET /held HTTP/1.1\r\nHost: h\r\n\r\n"));
        HttpRequestHead held = nextHead();
        held.retain(); // someone else (a log line, a mirror) still reads it
        held.recycle();
        decoder.resume();

        ch.writeInbound(bytes("GET /next HTTP/1.1\r\nHost: h\r\n\r\n"));
        HttpRequestHead next = nextHead();
        assertThat(next).isNotSameAs(held);
        assertThat(held.target()).isEqualTo("/held"); // the other holder's view is untouched
        held.release();
        next.release();
    }

    @Test
    void aRecycledResponseHeadIsFilledWithTheNextResponse() {
        Http1ResponseDecoder responses = new Http1ResponseDecoder();
        EmbeddedChannel upstream = new EmbeddedChannel(responses);
        try {
            responses.expectResponse(false);
            responses.expectResponse(false);
            upstream.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"));
            HttpResponseHead first = onlyResponseHead(upstream);
            first.recycle();
            upstream.writeInbound(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
            HttpResponseHead second = onlyResponseHead(upstream);
            assertThat(second).isSameAs(first);
            assertThat(second.status()).isEqualTo(404);
            assertThat(second.reason()).isEqualTo("Not Found");
            assertThat(second.noBody()).isTrue();
            second.release();
        } finally {
            upstream.finishAndReleaseAll();
        }
    }

    private static HttpResponseHead onlyResponseHead(EmbeddedChannel upstream) {
        HttpResponseHead head = null;
        for (Object m : drain(upstream)) {
            if (m instanceof HttpResponseHead h) {
                head = h;
            } else {
                io.netty.util.ReferenceCountUtil.release(m);
            }
        }
        assertThat(head).isNotNull();
        return head;
    }
}
