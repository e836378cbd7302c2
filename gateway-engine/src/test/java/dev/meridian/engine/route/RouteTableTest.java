package dev.meridian.engine.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.engine.config.RouteSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteSpec prefix(String name, String host, String prefix) {
        return new RouteSpec(name, host, prefix, null, "c", null);
    }

    private static RouteSpec path(String name, String host, String path) {
        return new RouteSpec(name, host, null, path, "c", null);
    }

    private static RouteTable<String> table(RouteSpec... routes) {
        return RouteTable.compile(List.of(routes), RouteSpec::name);
    }

    @Test
    void longestPrefixWins() {
        RouteTable<String> t = table(prefix("root", null, "/"), prefix("api", null, "/api"),
                prefix("v2", null, "/api/v2"), prefix("other", null, "/apx"));
        assertThat(t.match(null, "/api/v2/users")).isEqualTo("v2");
        assertThat(t.match(null, "/api/v1/users")).isEqualTo("api");
        assertThat(t.match(null, "/api")).isEqualTo("api");
        assertThat(t.match(null, "/ap")).isEqualTo("root");
        assertThat(t.match(null, "/")).isEqualTo("root");
    }

    @Test
    void prefixMatchesBytesNotSegments() {
        RouteTable<String> t = table(prefix("api", null, "/api"));
        assertThat(t.match(null, "/apix")).isEqualTo("api");
        assertThat(t.match(null, "/Api")).isNull();
    }

    @Test
    void exactPathBeatsAnyPrefix() {
        RouteTable<String> t = table(prefix("long", null, "/health/deep"), path("exact", null, "/health"),
                prefix("short", null, "/h"));
        assertThat(t.match(null, "/health")).isEqualTo("exact");
        assertThat(t.match(null, "/health/")).isEqualTo("short");
        assertThat(t.match(null, "/health/deep/x")).isEqualTo("long");
        assertThat(t.match(null, "/healthz")).isEqualTo("short");
    }

    @Test
    void exactPathWithoutPrefixesMatchesOnlyItself() {
        RouteTable<String> t = table(path("exact", null, "/a"));
        assertThat(t.match(null, "/a")).isEqualTo("exact");
        assertThat(t.match(null, "/ab")).isNull();
        assertThat(t.match(null, "/")).isNull();
        assertThat(t.match(null, "")).isNull();
    }

    @Test
    void hostRouteBeatsHostlessRoute() {
        RouteTable<String> t = table(prefix("any", null, "/api/v2"), prefix("host", "example.com", "/"));
        // The host group wins even though the host-less prefix is longer.
        assertThat(t.match("example.com", "/api/v2/x")).isEqualTo("host");
        assertThat(t.match("other.com", "/api/v2/x")).isEqualTo("any");
        assertThat(t.match(null, "/api/v2/x")).isEqualTo("any");
    }

    @Test
    void hostGroupWithoutAMatchingPathFallsThrough() {
        RouteTable<String> t = table(prefix("host", "example.com", "/admin"), prefix("wild", "*.com", "/static"),
                prefix("any", null, "/"));
        assertThat(t.match("example.com", "/admin/x")).isEqualTo("host");
        assertThat(t.match("example.com", "/static/x")).isEqualTo("wild");
        assertThat(t.match("example.com", "/other")).isEqualTo("any");
    }

    @Test
    void wildcardMatchesOneOrMoreLabelsButNotTheBareDomain() {
        RouteTable<String> t = table(prefix("wild", "*.example.com", "/"));
        assertThat(t.match("a.example.com", "/")).isEqualTo("wild");
        assertThat(t.match("b.a.example.com", "/")).isEqualTo("wild");
        assertThat(t.match("example.com", "/")).isNull();
        assertThat(t.match("aexample.com", "/")).isNull();
        assertThat(t.match(".example.com", "/")).isNull();
    }

    @Test
    void exactHostBeatsWildcardAndLongestWildcardBeatsShorter() {
        RouteTable<String> t = table(prefix("short", "*.example.com", "/"), prefix("long", "*.api.example.com", "/"),
                prefix("exact", "v1.api.example.com", "/"));
        assertThat(t.match("v1.api.example.com", "/")).isEqualTo("exact");
        assertThat(t.match("v2.api.example.com", "/")).isEqualTo("long");
        assertThat(t.match("www.example.com", "/")).isEqualTo("short");
    }

    @Test
    void ignoresPortAndTrailingDotInHost() {
        RouteTable<String> t = table(prefix("host", "example.com", "/"), prefix("wild", "*.example.org", "/"));
        assertThat(t.match("example.com:8080", "/")).isEqualTo("host");
        assertThat(t.match("example.com.", "/")).isEqualTo("host");
        assertThat(t.match("example.com.:443", "/")).isEqualTo("host");
        assertThat(t.match("a.example.org:8443", "/")).isEqualTo("wild");
        assertThat(t.match("example.com:", "/")).isEqualTo("host");
    }

    @Test
    void comparesHostsCaseInsensitively() {
        RouteTable<String> t = table(prefix("host", "Example.COM", "/"), prefix("wild", "*.Example.ORG", "/"));
        assertThat(t.match("EXAMPLE.com", "/")).isEqualTo("host");
        assertThat(t.match("example.com", "/")).isEqualTo("host");
        assertThat(t.match("WWW.EXAMPLE.ORG", "/")).isEqualTo("wild");
    }

    @Test
    void returnsNullWhenNothingMatches() {
        assertThat(table().match("example.com", "/")).isNull();
        assertThat(table(prefix("api", null, "/api")).match(null, "/web")).isNull();
        assertThat(table(prefix("host", "example.com", "/")).match(null, "/")).isNull();
        assertThat(table(prefix("host", "example.com", "/")).match("", "/")).isNull();
        assertThat(table(prefix("host", "example.com", "/")).match("[::1]:80", "/")).isNull();
    }

    @Test
    void readsHostAndPathAtAbsoluteOffsetsInsideALargerBuffer() {
        RouteTable<String> t = table(prefix("api", "example.com", "/api"), prefix("any", null, "/"));
        byte[] head = "GET /api/users?x=1 HTTP/1.1\r\nHost: EXAMPLE.com:80\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[7]); // a reader index that is not zero
        buf.readerIndex(7);
        buf.writeBytes(head);
        String s = new String(head, StandardCharsets.US_ASCII);
        int pathOffset = 7 + s.indexOf("/api");
        int hostOffset = 7 + s.indexOf("EXAMPLE");
        assertThat(t.match(buf, hostOffset, "EXAMPLE.com:80".length(), pathOffset, "/api/users".length())).isEqualTo("api");
        assertThat(t.match(buf, hostOffset, -1, pathOffset, "/api/users".length())).isEqualTo("any");
        buf.release();
    }

    @Test
    void firstOfTwoIdenticalMatchesWins() {
        RouteTable<String> t = table(prefix("first", null, "/a"), prefix("second", null, "/a"));
        assertThat(t.match(null, "/a")).isEqualTo("first");
    }

    @Test
    void refusesRoutesWithoutExactlyOneOfPrefixOrPath() {
        assertThatThrownBy(() -> table(new RouteSpec("r", null, null, null, "c", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void staysCorrectWithAThousandRoutes() {
        List<RouteSpec> routes = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            routes.add(prefix("p" + i, null, "/svc" + i));
            routes.add(prefix("pd" + i, null, "/svc" + i + "/deep"));
            routes.add(path("x" + i, null, "/svc" + i + "/exact"));
            routes.add(prefix("h" + i, "host" + i + ".example.com", "/svc" + i));
        }
        RouteTable<String> t = RouteTable.compile(routes, RouteSpec::name);
        for (int i = 0; i < 250; i++) {
            assertThat(t.match(null, "/svc" + i + "/a")).isEqualTo("p" + i);
            assertThat(t.match(null, "/svc" + i + "/deep/er")).isEqualTo("pd" + i);
            assertThat(t.match(null, "/svc" + i + "/exact")).isEqualTo("x" + i);
            assertThat(t.match(null, "/svc" + i + "/exactly")).isEqualTo("p" + i);
            assertThat(t.match("HOST" + i + ".example.com", "/svc" + i + "/exact")).isEqualTo("h" + i);
            assertThat(t.match("host" + i + ".example.com", "/nope")).isNull();
        }
        // "/svc1" is a prefix of "/svc10".."/svc19": the longest configured prefix must win.
        assertThat(t.match(null, "/svc10/a")).isEqualTo("p10");
        assertThat(t.match(null, "/svc100")).isEqualTo("p100");
        assertThat(t.match(null, "/svc")).isNull();
    }

    /** The same head bytes in each kind of buffer the table may be handed, at a non-zero offset. */
    private static List<ByteBuf> buffersHolding(byte[] head) {
        byte[] padded = new byte[head.length + 16];
        java.util.Arrays.fill(padded, (byte) ':');
        System.arraycopy(head, 0, padded, 7, head.length);
        ByteBuf pooledDirect = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(padded.length).writeBytes(padded);
        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(padded, 0, 20),
                Unpooled.directBuffer(padded.length - 20).writeBytes(padded, 20, padded.length - 20));
        return List.of(
                Unpooled.wrappedBuffer(padded).slice(7, head.length),
                pooledDirect.retainedSlice(7, head.length),
                io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.directBuffer(head.length).writeBytes(head),
                composite.slice(7, head.length),
                Unpooled.wrappedBuffer(padded).asReadOnly().slice(7, head.length));
    }

    @Test
    void matchesTheSameOverHeapDirectSlicedCompositeAndReadOnlyBuffers() {
        RouteTable<String> t = table(prefix("api", null, "/api"), path("exact", "h.example.com", "/x"),
                prefix("wild", "*.example.com", "/"), prefix("root", null, "/"));
        String[][] cases = {
            {"h.example.com", "/x", "exact"}, {"H.EXAMPLE.COM.:80", "/x", "exact"}, {"a.b.example.com", "/y", "wild"},
            {"example.com", "/api/v1", "api"}, {null, "/apix", "api"}, {"[::1]:80", "/", "root"}, {null, "", null},
        };
        for (String[] c : cases) {
            String host = c[0];
            String head = "GET " + c[1] + " HTTP/1.1\r\nHost: " + (host == null ? "" : host) + "\r\n\r\n";
            byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
            int pathOffset = 4;
            int hostOffset = head.indexOf("Host: ") + 6;
            for (ByteBuf buf : buffersHolding(bytes)) {
                assertThat(t.match(buf, hostOffset, host == null ? -1 : host.length(), pathOffset, c[1].length()))
                        .as("%s %s in %s", host, c[1], buf.getClass().getSimpleName()).isEqualTo(c[2]);
                buf.release();
            }
        }
    }

    @Test
    void refusesRangesOutsideTheBufferAndReleasedBuffers() {
        RouteTable<String> t = table(prefix("root", null, "/"), prefix("h", "h", "/"));
        ByteBuf buf = Unpooled.directBuffer(8).writeBytes("h/abcdef".getBytes(StandardCharsets.US_ASCII));
        assertThat(t.match(buf, 0, 1, 1, 7)).isEqualTo("h");
        assertThatThrownBy(() -> t.match(buf, 0, 1, 1, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> t.match(buf, 0, 9, 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> t.match(buf, 0, 1, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        buf.release();
        assertThatThrownBy(() -> t.match(buf, 0, 1, 1, 7)).isInstanceOf(io.netty.util.IllegalReferenceCountException.class);
    }
}
