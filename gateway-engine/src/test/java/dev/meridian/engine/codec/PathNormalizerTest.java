package dev.meridian.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

    private static final PathPolicy DEFAULT = PathPolicy.DEFAULT;
    private static final PathPolicy LENIENT = new PathPolicy(PathPolicy.EncodedSlash.KEEP_ENCODED,
            PathPolicy.Backslash.KEEP_ENCODED, false, false, false);

    /** The path placed behind some unrelated bytes, so offsets other than 0 are exercised. */
    private static ByteBuf at(String path) {
        byte[] p = path.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf b = Unpooled.buffer();
        b.writeBytes("GET ".getBytes(StandardCharsets.US_ASCII)).writeBytes(p).writeBytes("?q=/../x".getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    private static int check(String path, PathPolicy policy) {
        return PathNormalizer.check(at(path), 4, path.length(), policy);
    }

    private static String normalize(String path, PathPolicy policy) {
        byte[] out = PathNormalizer.normalize(at(path), 4, path.length(), policy);
        return out == null ? null : new String(out, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b", "/a/b/", "/a.b/c..d/...", "/%252e%252e/x", "/caf%C3%A9", "/a%20b",
            "/~user/_x-y.z", "/a;p=1/b", "/.hidden", "/..x", "/x..", "*", "", "/%E2%82%AC", "/%F0%9F%98%80", "/%25"})
    void alreadyNormalPathsAreNormal(String path) {
        assertThat(check(path, DEFAULT)).isEqualTo(PathNormalizer.NORMAL);
        assertThat(normalize(path, DEFAULT)).isEqualTo(path);
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                // RFC 3986 §5.2.4 examples and clamping at the root
                Arguments.of("/a/b/c/./../../g", "/a/g"),
                Arguments.of("/mid/content=5/../6", "/mid/6"),
                Arguments.of("/../x", "/x"),
                Arguments.of("/../../../etc/passwd", "/etc/passwd"),
                Arguments.of("/a/..", "/"),
                Arguments.of("/a/b/..", "/a/"),
                Arguments.of("/a/.", "/a/"),
                Arguments.of("/.", "/"),
                Arguments.of("/..", "/"),
                Arguments.of("/public/../admin", "/admin"),
                // encoded dots decode first (RFC 3986 §2.3, §6.2.2.2)
                Arguments.of("/public/%2e%2e/admin", "/admin"),
                Arguments.of("/public/%2E%2e/admin", "/admin"),
                Arguments.of("/public/.%2E/admin", "/admin"),
                Arguments.of("/public/%2e/x", "/public/x"),
                // unreserved decoded, others upper-cased
                Arguments.of("/%41%62%7e%2D%5f", "/Ab~-_"),
                Arguments.of("/caf%c3%a9", "/caf%C3%A9"),
                Arguments.of("/a%3fb", "/a%3Fb"),
                // repeated slashes
                Arguments.of("//admin", "/admin"),
                Arguments.of("/a//b///c", "/a/b/c"),
                Arguments.of("/a//", "/a/"),
                Arguments.of("///", "/"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("changes")
    void normalizesDotSegmentsEscapesAndSlashes(String path, String expected) {
        assertThat(check(path, DEFAULT)).isEqualTo(PathNormalizer.CHANGED);
        assertThat(normalize(path, DEFAULT)).isEqualTo(expected);
        assertThat(check(expected, DEFAULT)).as("normalizing twice changes nothing").isEqualTo(PathNormalizer.NORMAL);
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("/public%2F..%2Fadmin", PathNormalizer.REJECT_ENCODED_SLASH),
                Arguments.of("/public/..%2fadmin", PathNormalizer.REJECT_ENCODED_SLASH),
                Arguments.of("/public\\..\\admin", PathNormalizer.REJECT_BACKSLASH),
                Arguments.of("/public/%5c../admin", PathNormalizer.REJECT_BACKSLASH),
                Arguments.of("/public/x%00/../admin", PathNormalizer.REJECT_NUL),
                Arguments.of("/public/%c0%ae%c0%ae/admin", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%e0%80%ae", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%ed%a0%80", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%f4%90%80%80", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%c3", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%c3/%a9", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%c3a", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%ff", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/%a9", PathNormalizer.REJECT_INVALID_UTF8),
                Arguments.of("/a%", PathNormalizer.REJECT_BAD_ESCAPE),
                Arguments.of("/a%2", PathNormalizer.REJECT_BAD_ESCAPE),
                Arguments.of("/a%zz", PathNormalizer.REJECT_BAD_ESCAPE),
                Arguments.of("/a%%32e", PathNormalizer.REJECT_BAD_ESCAPE),
                Arguments.of("/public/..;/admin", PathNormalizer.REJECT_DOT_SEGMENT_PARAMS),
                Arguments.of("/public/.;x/admin", PathNormalizer.REJECT_DOT_SEGMENT_PARAMS),
                Arguments.of("/public/%2e%2e;/admin", PathNormalizer.REJECT_DOT_SEGMENT_PARAMS),
                Arguments.of("/a b", PathNormalizer.REJECT_BAD_CHAR),
                Arguments.of("/a\u0000", PathNormalizer.REJECT_BAD_CHAR),
                Arguments.of("/a\u00e9", PathNormalizer.REJECT_BAD_CHAR),
                Arguments.of("/a?b", PathNormalizer.REJECT_BAD_CHAR),
                Arguments.of("a/b", PathNormalizer.REJECT_NOT_ABSOLUTE),
                Arguments.of("**", PathNormalizer.REJECT_NOT_ABSOLUTE));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rejections")
    void rejectsAmbiguousPathsByDefault(String path, int verdict) {
        assertThat(check(path, DEFAULT)).isEqualTo(verdict);
        assertThat(normalize(path, DEFAULT)).isNull();
    }

    @Test
    void lenientPolicyKeepsAmbiguousOctetsEncoded() {
        assertThat(normalize("/public%2f..%2fadmin", LENIENT)).isEqualTo("/public%2F..%2Fadmin");
        assertThat(normalize("/public\\..\\admin", LENIENT)).isEqualTo("/public%5C..%5Cadmin");
        assertThat(normalize("/x%00", LENIENT)).isEqualTo("/x%00");
        assertThat(normalize("/%c0%ae", LENIENT)).isEqualTo("/%C0%AE");
        assertThat(normalize("/public/..;/admin", LENIENT)).isEqualTo("/public/..;/admin");
        assertThat(check("/a%2F", LENIENT)).isEqualTo(PathNormalizer.NORMAL);
    }

    @Test
    void badEscapesAreRejectedWhateverThePolicy() {
        assertThat(check("/a%g0", LENIENT)).isEqualTo(PathNormalizer.REJECT_BAD_ESCAPE);
    }

    @Test
    void checkAllocatesNothingOnANormalPath() {
        ByteBuf buf = at("/api/v1/users/42/orders");
        int len = "/api/v1/users/42/orders".length();
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            PathNormalizer.check(buf, 4, len, DEFAULT); // warm up: JIT, escape analysis
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        int sum = 0;
        for (int i = 0; i < 10_000; i++) {
            sum += PathNormalizer.check(buf, 4, len, DEFAULT);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isZero();
        assertThat(allocated).as("bytes allocated by 10,000 checks").isLessThan(1024);
    }
}
