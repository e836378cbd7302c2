package dev.meridian.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.engine.codec.PathNormalizer;
import dev.meridian.engine.codec.PathPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Fuzzes {@link PathNormalizer} under the default and the lenient policy.
 *
 * <p>Invariants: no exception; {@code check < 0} exactly when {@code normalize} is null; a NORMAL
 * path normalizes to itself; a CHANGED one to something else that then checks NORMAL (idempotent);
 * a normalized path starts with "/" and has no empty, "." or ".." segment (so no route prefix can be
 * climbed out of), and keeps {@code %2F} / {@code %5C} encoded.
 */
class PathNormalizerFuzzTest {

    private static final PathPolicy LENIENT = new PathPolicy(PathPolicy.EncodedSlash.KEEP_ENCODED,
            PathPolicy.Backslash.KEEP_ENCODED, false, false, false);

    @FuzzTest
    void normalizedPathsAreStableAndFreeOfDotSegments(byte[] input) {
        if (input.length == 0) {
            return;
        }
        PathPolicy policy = (input[0] & 1) == 0 ? PathPolicy.DEFAULT : LENIENT;
        byte[] path = Arrays.copyOfRange(input, 1, input.length);
        // Place the path at an offset inside a larger buffer, as it sits inside a request head.
        ByteBuf buf = Unpooled.buffer(path.length + 8);
        buf.writeBytes("GET ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeBytes(path).writeBytes("?q=1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int verdict = PathNormalizer.check(buf, 4, path.length, policy);
        byte[] normalized = PathNormalizer.normalize(buf, 4, path.length, policy);
        if ((verdict < 0) != (normalized == null)) {
            throw new AssertionError("check " + verdict + " but normalize " + (normalized == null ? "null" : "bytes"));
        }
        if (verdict < 0) {
            return;
        }
        if (verdict != PathNormalizer.NORMAL && verdict != PathNormalizer.CHANGED) {
            throw new AssertionError("verdict " + verdict);
        }
        boolean same = Arrays.equals(path, normalized);
        if (same != (verdict == PathNormalizer.NORMAL)) {
            throw new AssertionError("verdict " + verdict + " but normalize " + (same ? "kept" : "changed") + " the path");
        }
        if (path.length == 0 || (path.length == 1 && path[0] == '*')) {
            return;
        }
        ByteBuf again = Unpooled.wrappedBuffer(normalized);
        if (PathNormalizer.check(again, 0, normalized.length, policy) != PathNormalizer.NORMAL) {
            throw new AssertionError("not idempotent: " + new String(normalized, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        String n = new String(normalized, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!n.startsWith("/") || n.contains("//") || n.contains("/./") || n.contains("/../")
                || n.endsWith("/.") || n.endsWith("/..") || n.contains("\\") || n.contains("?")) {
            throw new AssertionError("not normal: " + n);
        }
    }
}
